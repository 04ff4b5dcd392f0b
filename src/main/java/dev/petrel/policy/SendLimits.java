package dev.petrel.policy;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.SendCounts;
import dev.petrel.tenant.SharedRates;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.tenant.Tenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The rate and the daily quota of each tenant and of each of its streams: one decision per message (or per batch
 * of messages) before it enters the queue, for SMTP with an API key and for the HTTP send API alike. A message
 * counts against its tenant's limits and, when it goes out on a stream, against the stream's too; it is let through
 * only when every one of them has room, and then it is counted by all of them.
 *
 * <p>The rate is a token bucket per tenant and per stream, in memory, holding one second's worth of messages (at
 * least one). When several servers share the store ({@link SharedRates}, on PostgreSQL), the bucket is the
 * store's: each server takes a chunk of tokens at a time ({@link #CHUNK}'s worth of the rate, at least what the
 * request needs) into an allowance of its own and lets messages through from it, so that all of them together
 * admit at most one chunk each beyond the rate in any second.
 *
 * <p>The quota counts messages per UTC day: the count is kept in memory and added to the store about once a second
 * ({@link #flush}; four times a second on a shared store), so a restart keeps it, less at most what was let through
 * since the last flush; servers that share the store see each other's counts at their own flushes.
 * Limits are read from the store again every {@link #REFRESH}, so a change made by the command line or the admin
 * API shows within that.
 */
public final class SendLimits {

    /** How much of a second's rate a server takes from a shared bucket at a time (at least one message). */
    public static final Duration CHUNK = Duration.ofMillis(100);

    /** How often the limits of a tenant or stream in use are read again. */
    public static final Duration REFRESH = Duration.ofSeconds(1);

    /** Which limit refused a message. */
    public enum Limit {
        /** messages a second */
        RATE,
        /** messages a day */
        QUOTA;

        /** As metrics and APIs name it: {@code rate} or {@code quota}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What came of a request to send. */
    public sealed interface Admission {
        /** The messages may go on into the queue; they are counted. */
        record Admitted() implements Admission {}

        /**
         * Not now, and nothing was counted.
         *
         * @param retryAfter how long until the same request may be let through: for a rate, until the bucket has
         *                   room; for a quota, until the next UTC day begins
         * @param message a sentence for people, the same in the SMTP reply and the HTTP error
         */
        record Refused(Limit limit, Duration retryAfter, String message) implements Admission {
            /** {@code Retry-After} in whole seconds, rounded up, at least 1. */
            public long retryAfterSeconds() {
                return seconds(retryAfter);
            }

            /**
             * The SMTP answer, {@code 451 4.7.1}, for a rate and a quota alike. RFC 3463 3.8: X.7.1 "delivery not
             * authorized, message refused" is a refusal by policy, here one that passes (the class 4 of RFC 3463
             * 3.1: the same message may be sent later). X.5.3 "too many recipients" (RFC 5321 4.5.3.1.10's 452)
             * does not fit a quota of messages: it asks the client to send the rest of its recipients in another
             * transaction, and the quota is reached at a transaction's first recipient, where no split helps.
             */
            public Reply reply() {
                return Reply.of(451, EnhancedStatus.DELIVERY_NOT_AUTHORIZED.withClass(4), message);
            }
        }
    }

    public static final Admission ADMITTED = new Admission.Admitted();

    private record Key(TenantId tenant, String stream) {}

    // a count of a past day not yet written (what was let through just before midnight)
    private record Carried(Key key, LocalDate day, long messages) {}

    private final Tenancy tenancy;
    private final SendCounts counts;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final MeterRegistry registry;
    // null: each bucket in memory, this server's alone
    private final SharedRates shared;
    private final Map<Key, Scope> scopes = new ConcurrentHashMap<>();
    private final Map<String, Counter> limited = new ConcurrentHashMap<>();
    // held for a decision (a few comparisons) and while a flush takes or gives back its counts, never over I/O
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Carried> carried = new ArrayList<>();
    private final ReentrantLock flushing = new ReentrantLock();

    /**
     * @param tenancy where each tenant's and stream's limits are read
     * @param counts where the day's counts are kept
     * @param nanoTime a monotonic clock for the rates ({@code System::nanoTime})
     * @param registry where {@code petrel_tenant_limited_total} is counted
     */
    public SendLimits(Tenancy tenancy, SendCounts counts, Clock clock, LongSupplier nanoTime, MeterRegistry registry) {
        this(tenancy, counts, null, clock, nanoTime, registry);
    }

    /** As above, the rates taken from buckets {@code shared} by every server on the store, null for none. */
    public SendLimits(Tenancy tenancy, SendCounts counts, SharedRates shared, Clock clock, LongSupplier nanoTime,
                      MeterRegistry registry) {
        this.shared = shared;
        this.tenancy = tenancy;
        this.counts = counts;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.registry = registry;
    }

    /**
     * Whether {@code messages} messages of the tenant, on the stream when one is given, may enter the queue now:
     * all of them or none. The HTTP send API calls this once per request with the number of messages it holds, or
     * once per message for a result per message.
     *
     * @param stream the stream the messages go out on, which must be the tenant's; empty for none
     */
    public Admission admit(TenantId tenant, Optional<String> stream, int messages) {
        List<Scope> checked = new ArrayList<>(2);
        checked.add(scope(new Key(tenant, null)));
        stream.ifPresent(s -> checked.add(scope(new Key(tenant, s))));
        return decide(checked, tenant, stream.orElse(null), messages);
    }

    /**
     * The stream's limits alone, for messages whose tenant's were checked already: over SMTP, a key not bound to a
     * stream is let through at RCPT by its tenant's limits, and the stream its message chooses is known only at the
     * end of DATA.
     */
    Admission admitOnStream(TenantId tenant, String stream, int messages) {
        return decide(List.of(scope(new Key(tenant, stream))), tenant, stream, messages);
    }

    private Admission decide(List<Scope> checked, TenantId tenant, String stream, int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("at least one message is admitted at a time, not " + messages);
        }
        if (shared != null) {
            // over I/O, so before the lock: each scope's allowance topped up from its shared bucket when short
            checked.forEach(s -> s.topUp(messages));
        }
        Admission.Refused refused = null;
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            Instant instant = clock.instant();
            for (Scope s : checked) {
                Admission.Refused r = s.check(messages, now, instant);
                if (r != null && (refused == null || r.retryAfter().compareTo(refused.retryAfter()) > 0)) {
                    refused = r;
                }
            }
            if (refused == null) {
                checked.forEach(s -> s.take(messages));
            }
        } finally {
            lock.unlock();
        }
        if (refused == null) {
            return ADMITTED;
        }
        limitedCounter(tenant, stream, refused.limit()).increment();
        return refused;
    }

    // the scope's limits read again when older than REFRESH, and its count loaded when a day begins for it
    private Scope scope(Key key) {
        long now = nanoTime.getAsLong();
        Scope s = scopes.get(key);
        if (s == null) {
            Scope fresh = new Scope(key, read(key), now);
            Scope raced = scopes.putIfAbsent(key, fresh);
            s = raced == null ? fresh : raced;
        } else if (now - s.readAt >= REFRESH.toNanos()) {
            // marked first: the sessions that come meanwhile decide with the limits there are rather than all read
            s.readAt = now;
            s.limits = read(key);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(s.day)) {
            long stored = counts.count(key.tenant(), key.stream(), today);
            lock.lock();
            try {
                s.roll(today, stored);
            } finally {
                lock.unlock();
            }
        }
        return s;
    }

    private Limits read(Key key) {
        if (key.stream() == null) {
            return tenancy.tenant(key.tenant()).map(Tenant::limits).orElse(Limits.NONE);
        }
        return tenancy.stream(key.tenant(), key.stream()).map(Stream::limits).orElse(Limits.NONE);
    }

    private Counter limitedCounter(TenantId tenant, String stream, Limit limit) {
        String streamLabel = stream == null ? "" : stream;
        return limited.computeIfAbsent(tenant.name() + " " + streamLabel + " " + limit.label(),
                k -> Counter.builder("petrel.tenant.limited")
                        .description("Messages refused by a tenant's or stream's rate or daily quota")
                        .tags("tenant", tenant.name(), "stream", streamLabel, "limit", limit.label())
                        .register(registry));
    }

    /**
     * Adds what was let through since the last flush to the store's counts of the day, tenant by tenant, and takes
     * back the totals there (with what other servers added). The server calls it about once a second and when it
     * stops; what a failed write did not add is kept for the next. Throws the first failure, after trying every
     * tenant.
     */
    public void flush() {
        flushing.lock();
        try {
            RuntimeException failure = null;
            for (Batch batch : batches()) {
                try {
                    List<SendCounts.Count> totals = counts.add(batch.tenant(), batch.day(), batch.counts());
                    settle(batch, totals);
                } catch (RuntimeException e) {
                    giveBack(batch);
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            flushing.unlock();
        }
    }

    // what one tenant let through on one day, with the scopes it came from (null for a carried count)
    private record Batch(TenantId tenant, LocalDate day, List<Scope> from, List<SendCounts.Count> counts) {
        void add(Scope scope, String stream, long messages) {
            from.add(scope);
            counts.add(new SendCounts.Count(stream, messages));
        }
    }

    private List<Batch> batches() {
        Map<TenantId, Map<LocalDate, Batch>> out = new LinkedHashMap<>();
        lock.lock();
        try {
            for (Scope s : scopes.values()) {
                long delta = s.startFlush();
                if (delta > 0) {
                    batch(out, s.key.tenant(), s.day).add(s, s.key.stream(), delta);
                }
            }
            for (Carried c : carried) {
                batch(out, c.key().tenant(), c.day()).add(null, c.key().stream(), c.messages());
            }
            carried.clear();
        } finally {
            lock.unlock();
        }
        return out.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    private static Batch batch(Map<TenantId, Map<LocalDate, Batch>> out, TenantId tenant, LocalDate day) {
        return out.computeIfAbsent(tenant, t -> new LinkedHashMap<>()).computeIfAbsent(day,
                d -> new Batch(tenant, day, new ArrayList<>(), new ArrayList<>()));
    }

    private void settle(Batch batch, List<SendCounts.Count> totals) {
        lock.lock();
        try {
            for (int i = 0; i < batch.from().size(); i++) {
                Scope s = batch.from().get(i);
                if (s != null) {
                    s.written(batch.day(), totals.get(i).messages());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void giveBack(Batch batch) {
        lock.lock();
        try {
            for (int i = 0; i < batch.from().size(); i++) {
                Scope s = batch.from().get(i);
                SendCounts.Count c = batch.counts().get(i);
                if (s == null || !s.failed(batch.day())) {
                    carried.add(new Carried(new Key(batch.tenant(), c.stream()), batch.day(), c.messages()));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One tenant's, or one stream's, limits, bucket and count of the day; guarded by the lock but for its reads. */
    private final class Scope {
        final Key key;
        volatile Limits limits;
        volatile long readAt;
        volatile LocalDate day;
        TokenBucket bucket;
        // the count in the store when last read or written, what was let through since, and of that what a flush
        // is writing now
        long stored;
        long pending;
        long inFlight;
        // with shared buckets: the tokens taken from the store's and not used yet, how long the store's bucket said
        // to wait when it had too few, and whether the last check counted on the allowance
        long allowance;
        long sharedWait;
        boolean fromAllowance;
        final ReentrantLock refilling = new ReentrantLock();

        Scope(Key key, Limits limits, long readAt) {
            this.key = key;
            this.limits = limits;
            this.readAt = readAt;
        }

        Admission.Refused check(int messages, long now, Instant instant) {
            Limits l = limits;
            if (l.perDay() > 0 && stored + pending + messages > l.perDay()) {
                Instant tomorrow = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Admission.Refused(Limit.QUOTA, Duration.between(instant, tomorrow), "Daily quota reached: "
                        + who() + " may send " + messages(l.perDay()) + " a day (UTC); try again after " + tomorrow);
            }
            fromAllowance = false;
            if (l.perSecond() == 0) {
                bucket = null;
                return null;
            }
            if (shared != null) {
                return checkAllowance(messages, l);
            }
            if (bucket == null) {
                bucket = new TokenBucket(l.perSecond(), now);
            } else if (bucket.rate() != l.perSecond()) {
                bucket.setRate(l.perSecond());
            }
            long wait = bucket.nanosUntil(messages, now);
            return wait == 0 ? null : rateRefused(l, Duration.ofNanos(wait));
        }

        private Admission.Refused checkAllowance(int messages, Limits l) {
            if (allowance >= messages) {
                fromAllowance = true;
                return null;
            }
            return rateRefused(l, Duration.ofNanos(Math.max(1, sharedWait)));
        }

        private Admission.Refused rateRefused(Limits l, Duration retry) {
            return new Admission.Refused(Limit.RATE, retry, "Rate limit reached: " + who() + " may send "
                    + messages(l.perSecond()) + " a second; try again in " + seconds(retry) + " s");
        }

        void take(int messages) {
            if (bucket != null) {
                bucket.take(messages);
            }
            if (fromAllowance) {
                allowance -= messages;
            }
            pending += messages;
        }

        /**
         * With shared buckets: when the allowance is short of {@code messages}, takes what is missing and up to a
         * chunk from the store's bucket, one taker at a time (so that a server holds at most one chunk unused).
         */
        void topUp(int messages) {
            long rate = limits.perSecond();
            if (rate == 0) {
                return;
            }
            refilling.lock();
            try {
                long need = messages - unused();
                if (need <= 0) {
                    return;
                }
                long want = Math.max(need, Math.max(1, rate * CHUNK.toMillis() / 1000));
                SharedRates.Grant grant = shared.take(key.tenant(), key.stream(), rate, need, want);
                lock.lock();
                try {
                    allowance += grant.granted();
                    // until the store's bucket holds what is needed (or is full), at its rate
                    double missing = Math.min(need, Math.max(1, rate)) - grant.remaining();
                    sharedWait = grant.granted() > 0 ? 0 : (long) Math.ceil(missing / rate * 1e9);
                } finally {
                    lock.unlock();
                }
            } finally {
                refilling.unlock();
            }
        }

        private long unused() {
            lock.lock();
            try {
                return allowance;
            } finally {
                lock.unlock();
            }
        }

        // a new day: what is still to be written of the last one is carried, apart from what a flush writes now
        void roll(LocalDate today, long storedToday) {
            if (today.equals(day)) {
                return;
            }
            if (pending - inFlight > 0) {
                carried.add(new Carried(key, day, pending - inFlight));
            }
            day = today;
            stored = storedToday;
            pending = 0;
            inFlight = 0;
        }

        long startFlush() {
            inFlight = pending;
            return inFlight;
        }

        void written(LocalDate writtenDay, long total) {
            if (writtenDay.equals(day)) {
                stored = total;
                pending -= inFlight;
                inFlight = 0;
            }
        }

        // true when the count stays here to be written by the next flush; false when the day has passed
        boolean failed(LocalDate failedDay) {
            inFlight = 0;
            return failedDay.equals(day);
        }

        private String who() {
            return key.stream() == null ? "tenant " + key.tenant() : "stream " + key.stream() + " of tenant "
                    + key.tenant();
        }
    }

    // whole seconds, rounded up, at least 1
    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static String messages(long n) {
        return n + (n == 1 ? " message" : " messages");
    }
}
