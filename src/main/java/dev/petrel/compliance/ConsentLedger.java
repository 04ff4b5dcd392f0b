package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The CASL consent ledger as the send policy, the APIs and the command line use it: records added (never changed),
 * the status of a recipient now ({@link ConsentRule} over the records and the clock), which mail needs consent
 * (mail on a tenant's broadcast stream; transactional mail is exempt, CASL 6(6)), and the broadcast messages that
 * relied on it ({@link BroadcastLog}).
 */
public final class ConsentLedger implements BroadcastLog {

    /**
     * The metadata name ({@code X-Petrel-Metadata-Casl-Role-Relevant} by SMTP) by which a message says, with
     * {@code true}, that it is relevant to its recipients' business or role: only such mail may rely on an
     * implied-published consent (CASL 10(9)(b)).
     */
    public static final String ROLE_RELEVANT = "casl-role-relevant";

    /** How far ahead of this server's clock a record's time may be (another machine's clock). */
    static final Duration SKEW = Duration.ofMinutes(5);

    private final Consents store;
    private final Streams streams;
    private final Clock clock;
    private final Consumer<String> problems;

    /** @param problems where a failure to write down a broadcast's consent is told (the server's log) */
    public ConsentLedger(Consents store, Streams streams, Clock clock, Consumer<String> problems) {
        this.store = store;
        this.streams = streams;
        this.clock = clock;
        this.problems = problems;
    }

    /** Whether mail sent in this context needs consent: it goes out on a tenant's broadcast stream. */
    public boolean applies(SendContext context) {
        return tenant(context).flatMap(t -> streams.stream(t, context.stream()))
                .map(s -> s.kind() == Stream.Kind.BROADCAST).orElse(false);
    }

    /** The recipient's status now, for mail in this context (its metadata says whether it is role-relevant). */
    public ConsentStatus status(TenantId tenant, Address recipient, SendContext context) {
        // header names are read in any case (RFC 5322 1.2.2), so is the metadata name they give
        boolean roleRelevant = context.metadata().entrySet().stream().anyMatch(e
                -> e.getKey().equalsIgnoreCase(ROLE_RELEVANT) && e.getValue().equalsIgnoreCase("true"));
        return status(tenant, recipient, roleRelevant);
    }

    /** The recipient's status now. */
    public ConsentStatus status(TenantId tenant, Address recipient, boolean roleRelevant) {
        return ConsentRule.status(store.records(tenant, Consent.key(recipient)), clock.instant(), roleRelevant);
    }

    /**
     * Writes a consent (or withdrawal) given at {@code at}; returns it with its id. A time more than
     * {@link #SKEW} ahead of the clock is refused ({@link IllegalArgumentException}): evidence is of the past.
     */
    public Consent add(TenantId tenant, Address recipient, Consent.Kind kind, Instant at, Consent.Evidence evidence,
                       String source) {
        if (at.isAfter(clock.instant().plus(SKEW))) {
            throw new IllegalArgumentException("at: " + at + " is in the future");
        }
        return store.add(new Consent(0, tenant, Consent.key(recipient), kind, at.truncatedTo(ChronoUnit.MILLIS),
                evidence, source, now()), Optional.empty());
    }

    /** Writes a withdrawal from an event of the feed, once however often the event is read. */
    public Consent withdrawFrom(TenantId tenant, Address recipient, Instant at, Consent.Evidence evidence,
                                String reference) {
        return store.add(new Consent(0, tenant, Consent.key(recipient), Consent.Kind.WITHDRAWAL,
                at.truncatedTo(ChronoUnit.MILLIS), evidence, "unsubscribe", now()), Optional.of(reference));
    }

    /** The recipient's records, oldest written first. */
    public List<Consent> records(TenantId tenant, Address recipient) {
        return store.records(tenant, Consent.key(recipient));
    }

    /** The tenant's records, of one recipient or all. */
    public List<Consent> records(TenantId tenant, Optional<Address> recipient) {
        return recipient.map(r -> records(tenant, r)).orElseGet(() -> store.records(tenant));
    }

    /** The broadcast messages sent with the consent each relied on, of one recipient or all. */
    public List<ConsentUse> uses(TenantId tenant, Optional<Address> recipient) {
        return store.uses(tenant, recipient.map(Consent::key));
    }

    @Override
    public void queued(SendContext context, Instant at, Map<QueueId, Address> copies) {
        Optional<TenantId> tenant = tenant(context);
        if (tenant.isEmpty() || !applies(context)) {
            return;
        }
        try {
            List<ConsentUse> uses = new ArrayList<>(copies.size());
            copies.forEach((id, to) -> uses.add(new ConsentUse(tenant.get(), id.value(), Consent.key(to),
                    context.stream(), reliedOn(status(tenant.get(), to, context)), at.truncatedTo(ChronoUnit.MILLIS))));
            store.used(tenant.get(), uses);
        } catch (RuntimeException e) {
            problems.accept("consent ledger: the consent of broadcast message " + copies.keySet().iterator().next()
                    + " not written down: " + e.getMessage());
        }
    }

    private static long reliedOn(ConsentStatus status) {
        return status instanceof ConsentStatus.Valid v ? v.record().id() : 0;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Optional<TenantId> tenant(SendContext context) {
        if (context.tenant() == null || context.stream() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TenantId.parse(context.tenant()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
