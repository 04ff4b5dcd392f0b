package dev.petrel.intake;

import dev.petrel.compliance.BroadcastLog;
import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.event.EventSink;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.HeaderSection;
import dev.petrel.mail.LineLimit;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.SendContext;
import dev.petrel.mailauth.ArcResult;
import dev.petrel.mailauth.AuthenticationResults;
import dev.petrel.mailauth.Author;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.mailauth.DkimKeys;
import dev.petrel.mailauth.DkimSigner;
import dev.petrel.mailauth.InboundChecks;
import dev.petrel.queue.Arrivals;
import dev.petrel.queue.Door;
import dev.petrel.queue.QueueStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The one door into the queue. Turns an accepted transaction into a queued message: adds the Received header
 * (RFC 5321 4.4), and for submissions a Message-ID and Date when missing (RFC 6409 8.2, 8.3), writes it to the
 * queue with its {@code Queued} event, tells the scheduler, and only then answers 250 (the message is on disk by
 * then). Mail made here (bounces, alias forwards) comes in through {@link #enqueue} the same way.
 */
public final class Intake implements Door {

    // RFC 5322 3.3 date-time, always in UTC
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The client address of messages from local programs (sendmail). */
    public static final String LOCAL = "local";

    private final QueueStore queue;
    private final long reserve;
    private final EventSink events;
    private final Clock clock;
    private final RandomGenerator random;
    private final String hostname;
    private final int maxHops;
    private final DkimKeys dkimKeys;
    private final InboundChecks inbound;
    private final AuthenticationPolicy policy;
    private final boolean hold;
    private final Arrivals arrivals;
    private final UnsubscribeLinks links;
    private final TenantMail tenantMail;
    private final BroadcastLog broadcasts;

    /**
     * @param maxHops more Received headers than this mean a mail loop (Postfix's hopcount_limit, 50)
     */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops) {
        this(queue, events, clock, random, hostname, maxHops, DkimKeys.NONE);
    }

    /** @param dkimKeys the keys that sign what authenticated users submit, by the domain of its From */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys) {
        this(queue, events, clock, random, hostname, maxHops, dkimKeys, null, AuthenticationPolicy.ACCEPT_ALL);
    }

    /**
     * @param inbound checks mail that arrives from elsewhere (DKIM, SPF, DMARC), for the Authentication-Results
     *                header; null checks nothing
     * @param policy what the results may make intake refuse
     */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys, InboundChecks inbound, AuthenticationPolicy policy) {
        this(queue, events, clock, random, hostname, maxHops, dkimKeys, inbound, policy, false, Arrivals.NONE);
    }

    /**
     * @param events where refusals go (the queue's feed; queued messages' events are written with them)
     * @param hold puts every accepted message on hold ({@code [policy] hold}), as Postfix's HOLD action does
     * @param arrivals told of every message queued that is not held
     */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys, InboundChecks inbound, AuthenticationPolicy policy, boolean hold,
                  Arrivals arrivals) {
        this(queue, events, clock, random, hostname, maxHops, dkimKeys, inbound, policy, hold, arrivals, 0);
    }

    /**
     * @param reserve octets the queue's file system keeps free: while less is free, messages are refused with 452
     *                4.3.1 before anything is written, as Postfix's queue_minfree does
     */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys, InboundChecks inbound, AuthenticationPolicy policy, boolean hold,
                  Arrivals arrivals, long reserve) {
        this(queue, events, clock, random, hostname, maxHops, dkimKeys, inbound, policy, hold, arrivals, reserve,
                TenantMail.NONE);
    }

    /** @param tenantMail the VERP sender and Feedback-ID that tenants' mail gets */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys, InboundChecks inbound, AuthenticationPolicy policy, boolean hold,
                  Arrivals arrivals, long reserve, TenantMail tenantMail) {
        this(queue, events, clock, random, hostname, maxHops, dkimKeys, inbound, policy, hold, arrivals, reserve,
                tenantMail, UnsubscribeLinks.NONE);
    }

    /** @param links the unsubscribe links of broadcast mail, added before the signature */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys, InboundChecks inbound, AuthenticationPolicy policy, boolean hold,
                  Arrivals arrivals, long reserve, TenantMail tenantMail, UnsubscribeLinks links) {
        this(queue, events, clock, random, hostname, maxHops, dkimKeys, inbound, policy, hold, arrivals, reserve,
                tenantMail, links, BroadcastLog.NONE);
    }

    /** @param broadcasts told of each broadcast message's copies once queued (the consent each relied on) */
    public Intake(QueueStore queue, EventSink events, Clock clock, RandomGenerator random, String hostname, int maxHops,
                  DkimKeys dkimKeys, InboundChecks inbound, AuthenticationPolicy policy, boolean hold,
                  Arrivals arrivals, long reserve, TenantMail tenantMail, UnsubscribeLinks links,
                  BroadcastLog broadcasts) {
        this.broadcasts = broadcasts;
        this.tenantMail = tenantMail;
        this.links = links;
        this.reserve = reserve;
        this.hold = hold;
        this.arrivals = arrivals;
        this.queue = queue;
        this.events = events;
        this.clock = clock;
        this.random = random;
        this.hostname = hostname;
        this.maxHops = maxHops;
        this.dkimKeys = dkimKeys;
        this.inbound = inbound;
        this.policy = policy;
    }

    /**
     * RFC 1870 6.1 and RFC 3463 X.3.1: whether a message of this size can be stored now, keeping the reserve
     * free; the refusal when it cannot (also for a SIZE declared at MAIL, before the client sends anything).
     */
    public Optional<Reply> storageRefusal(long size) {
        long free;
        try {
            free = queue.usableSpace();
        } catch (IOException e) {
            return Optional.of(Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Temporary local problem, try again later"));
        }
        return free - Math.max(size, 0) < reserve ? Optional.of(insufficientStorage()) : Optional.empty();
    }

    private static Reply insufficientStorage() {
        return Reply.of(452, EnhancedStatus.MAIL_SYSTEM_FULL, "Insufficient system storage");
    }

    /** What came of a submission: queued under an id, or refused with a reply. */
    public sealed interface Receipt {
        Reply reply();

        /**
         * On stable storage: the reply is the 250 that says so.
         *
         * @param ids one per recipient in the envelope's order when broadcast mail was split, else just {@code id}
         */
        record Queued(QueueId id, List<QueueId> ids, Reply reply) implements Receipt {
            public Queued {
                ids = List.copyOf(ids);
            }
        }

        record Refused(Reply reply) implements Receipt {}
    }

    /** A queue id to promise a message before it comes (a milter is told it at MAIL, as Postfix's {i}). */
    public QueueId newId() {
        return queue.newId();
    }

    /** Queues the submission; the reply to give its client (250 only once the message is on disk). */
    public Reply accept(Submission submission) {
        if (submission.ours()) {
            return queue(submission).reply();
        }
        List<Recipient> feedback = submission.envelope().recipients().stream()
                .filter(r -> tenantMail.feedback().isFeedbackAddress(r.address())).toList();
        if (feedback.isEmpty()) {
            return queue(submission).reply();
        }
        try {
            tenantMail.feedback().receive(feedback.stream().map(Recipient::address).toList(), submission.content());
        } catch (IOException e) {
            return Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Temporary local problem, try again later");
        }
        List<Recipient> others = new ArrayList<>(submission.envelope().recipients());
        others.removeAll(feedback);
        return others.isEmpty() ? Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok: report received")
                : queue(forOthers(submission, others)).reply();
    }

    // a report to a bounce address and mail to someone here in one transaction: the others' copy is queued
    private static Submission forOthers(Submission s, List<Recipient> others) {
        Envelope e = s.envelope();
        return new Submission(e.withRecipients(others), s.content(), s.protocol(), s.tlsProtocol(),
                s.tlsCipher(), s.completeHeaders(), s.ours(), s.context(), s.held(), s.id());
    }

    /** As {@link #accept}, saying under which id the message was queued: the send API answers with it. */
    public Receipt queue(Submission submission) {
        byte[] content = submission.content();
        // read once: the hop count, and which fields a submission lacks
        HeaderSection fields = HeaderSection.read(content);
        if (fields.count("Received") >= maxHops) {
            // RFC 5321 6.3: a message that has passed too many hosts is in a loop
            return new Receipt.Refused(Reply.of(554, new EnhancedStatus(5, 4, 6), "Too many hops, mail loop detected"));
        }
        Instant arrival = clock.instant();
        Checked checked = new Checked(new byte[0], Map.of(), null);
        if (!submission.ours() && inbound != null) {
            // RFC 8601 5: results claimed under our name by someone else go; ours go on top
            content = AuthenticationResults.withoutOurs(content, hostname);
            checked = checked(submission.envelope(), content, arrival);
            if (checked.refusal() != null) {
                return new Receipt.Refused(checked.refusal());
            }
        }
        // RFC 5322 2.1.1: no line over 998 octets leaves here; made to fit after the checks saw the message as
        // it came, and before the signature, which then covers what is sent
        content = LineLimit.enforce(content);
        if (submission.ours() && tenantMail.feedbackId(submission.context()).isPresent() && fields.has("Feedback-ID")) {
            // Gmail: one Feedback-ID per message, the one the sending service signs; the sender's own goes
            content = HeaderSection.read(content).without("Feedback-ID");
        }
        if (links.applies(submission.context())) {
            return perRecipient(submission, fields, content, arrival);
        }
        QueueId id = submission.id() != null ? submission.id() : queue.newId();
        byte[] head = concat(checked.head(), headers(submission, fields, id, arrival));
        return stored(List.of(new Copy(id, submission.envelope(), signed(submission, content, head, arrival), content)),
                submission, arrival, checked.authentication());
    }

    /**
     * The Authentication-Results field of mail from elsewhere and the summary of its checks for the log; or the
     * refusal the checks' results call for (not null).
     */
    private record Checked(byte[] head, Map<String, String> authentication, Reply refusal) {}

    /** One message to write: its id, envelope, the header fields intake puts on top, and the content. */
    private record Copy(QueueId id, Envelope envelope, byte[] head, byte[] content) {}

    private Checked checked(Envelope env, byte[] content, Instant arrival) {
        InboundChecks.Results results = inbound.check(env.clientAddress(), env.reversePath().toString(),
                env.clientHelo(), content);
        Reply refusal = policy.refusal(results);
        if (refusal != null) {
            events.publish(new MailEvent.Rejected(arrival, env.clientAddress(), "data", env.reversePath().toString(),
                    null, refusal.summary()));
            return new Checked(null, Map.of(), refusal);
        }
        return new Checked(AuthenticationResults.header(hostname, results), summary(results), null);
    }

    /**
     * Broadcast mail: one message per recipient, each with its own unsubscribe link in List-Unsubscribe and
     * List-Unsubscribe-Post (RFC 8058), signed with them, as Amazon SES and Postmark send broadcast mail.
     */
    private Receipt perRecipient(Submission s, HeaderSection fields, byte[] content, Instant arrival) {
        List<Copy> copies = new ArrayList<>();
        Envelope env = s.envelope();
        for (Recipient to : env.recipients()) {
            QueueId id = queue.newId();
            Envelope one = env.withRecipients(List.of(to));
            Submission single = new Submission(one, content, s.protocol(), s.tlsProtocol(), s.tlsCipher(),
                    s.completeHeaders(), s.ours(), s.context());
            UnsubscribeLinks.Link link = links.link(s.context(), to.address(), id);
            byte[] head = concat(headers(single, fields, id, arrival),
                    link.fields().getBytes(StandardCharsets.US_ASCII));
            // the body's link too; written in lines that fit, so the limit is kept without another pass
            byte[] body = links.personalize(s.context(), content, link.url());
            copies.add(new Copy(id, one, signed(single, body, head, arrival), body));
        }
        Receipt receipt = stored(copies, s, arrival, Map.of());
        if (receipt instanceof Receipt.Queued) {
            Map<QueueId, Address> sent = new LinkedHashMap<>();
            copies.forEach(c -> sent.put(c.id(), c.envelope().recipients().getFirst().address()));
            broadcasts.queued(s.context(), arrival, sent);
        }
        return receipt;
    }

    // every copy written, or none when there is no room for all of them
    private Receipt stored(List<Copy> copies, Submission s, Instant arrival, Map<String, String> authentication) {
        long size = copies.stream().mapToLong(c -> c.head().length + (long) c.content().length).sum();
        Optional<Reply> full = storageRefusal(size);
        if (full.isPresent()) {
            return new Receipt.Refused(full.get());
        }
        try {
            for (Copy c : copies) {
                // VERP: each copy's own bounce address
                Envelope envelope = tenantMail.rewrite(c.envelope(), c.id(), s.context());
                store(c.id(), arrival, envelope, c.head(), c.content(), hold || s.held(), authentication, s.context());
            }
        } catch (IOException e) {
            // RFC 5321 4.2.5: without storage the message is not ours; the client keeps it and retries
            return new Receipt.Refused(noSpace(e) ? insufficientStorage()
                    : Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Temporary local problem, try again later"));
        }
        List<QueueId> ids = copies.stream().map(Copy::id).toList();
        String more = ids.size() > 1 ? " (one message per recipient, " + ids.size() + " in all)" : "";
        return new Receipt.Queued(ids.getFirst(), ids,
                Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok: queued as " + ids.getFirst() + more));
    }

    // ENOSPC (or EDQUOT) somewhere in the chain of causes
    private static boolean noSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A message made here (a delivery status notification, an alias's copy): queued as it is, never held; only
     * lines over 998 octets (a copy of a message queued before intake made them fit) are made to fit.
     */
    @Override
    public QueueId enqueue(Envelope envelope, byte[] head, byte[] body) throws IOException {
        QueueId id = queue.newId();
        store(id, clock.instant(), envelope, head, LineLimit.enforce(body), false, Map.of(), SendContext.EMPTY);
        return id;
    }

    // the message and its Queued event in one write; then it is due
    private void store(QueueId id, Instant arrival, Envelope env, byte[] head, byte[] body, boolean held,
                       Map<String, String> authentication, SendContext context) throws IOException {
        queue.enqueue(id, arrival, env, context, head, body, held, new MailEvent.Queued(arrival, id,
                env.reversePath().toString(), head.length + body.length, env.recipients().size(), env.clientAddress(),
                env.authenticatedUser(), authentication, held, context));
        if (!held) {
            arrivals.arrived(id, arrival);
        }
    }

    // mail that starts here is signed for the domain of its From, when that domain has keys; the signature goes
    // on top, over the Message-ID and Date added here
    private byte[] signed(Submission s, byte[] content, byte[] head, Instant arrival) {
        if (!s.ours()) {
            return head;
        }
        List<DkimKey> keys = Author.domainOf(head, content).map(dkimKeys::activeFor).orElse(List.of());
        if (keys.isEmpty()) {
            return head;
        }
        return concat(DkimSigner.sign(head, content, keys, arrival), head);
    }

    // for the log line: spf=pass dkim=pass,fail dmarc=pass
    private static Map<String, String> summary(InboundChecks.Results results) {
        Map<String, String> out = new LinkedHashMap<>();
        if (results.spf() != null) {
            out.put("spf", results.spf().outcome().value());
        }
        out.put("dkim", results.dkim().isEmpty() ? "none"
                : String.join(",", results.dkim().stream().map(d -> d.outcome().value()).toList()));
        if (results.dmarc() != null) {
            out.put("dmarc", results.dmarc().outcome().value());
        }
        if (results.arc() != null && results.arc().status() != ArcResult.Status.NONE) {
            out.put("arc", results.arc().status().value());
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private byte[] headers(Submission s, HeaderSection fields, QueueId id, Instant arrival) {
        StringBuilder h = new StringBuilder(256);
        received(h, s, id, arrival);
        if (s.completeHeaders()) {
            if (!fields.has("Message-ID")) {
                h.append("Message-ID: <").append(id).append('.').append(HexFormat.of().toHexDigits(random.nextLong()))
                        .append('@').append(hostname).append(">\r\n");
            }
            if (!fields.has("Date")) {
                h.append("Date: ").append(RFC5322.format(arrival)).append("\r\n");
            }
        }
        if (s.ours()) {
            tenantMail.feedbackId(s.context()).ifPresent(h::append);
        }
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    // RFC 5321 4.4 Time-stamp-line; TLS details as a comment, like Postfix's; "for" only with one recipient
    private void received(StringBuilder h, Submission s, QueueId id, Instant arrival) {
        Envelope env = s.envelope();
        if (LOCAL.equals(env.clientAddress())) {
            // handed over by a local program (sendmail): no SMTP client to name, as Postfix's pickup writes it
            h.append("Received: by ").append(hostname).append(" (Petrel, from local program) id ").append(id)
                    .append("; ").append(RFC5322.format(arrival)).append("\r\n");
            return;
        }
        String helo = env.clientHelo() == null ? "unknown" : sanitize(env.clientHelo());
        h.append("Received: from ").append(helo).append(" (").append(addressLiteral(env.clientAddress())).append(")\r\n");
        if (s.tlsProtocol() != null) {
            h.append("\t(using ").append(s.tlsProtocol()).append(" with cipher ").append(s.tlsCipher()).append(")\r\n");
        }
        h.append("\tby ").append(hostname).append(" (Petrel) with ").append(s.protocol()).append(" id ").append(id);
        if (env.recipients().size() == 1) {
            h.append("\r\n\tfor <").append(env.recipients().getFirst().address()).append('>');
        }
        h.append("; ").append(RFC5322.format(arrival)).append("\r\n");
    }

    private static String addressLiteral(String clientAddress) {
        if (clientAddress == null) {
            return "unknown";
        }
        return clientAddress.contains(":") ? "[IPv6:" + clientAddress + "]" : "[" + clientAddress + "]";
    }

    // the client's EHLO argument goes into a header: keep it to printable ASCII without comment characters
    private static String sanitize(String helo) {
        StringBuilder out = new StringBuilder(helo.length());
        for (char c : helo.toCharArray()) {
            out.append(c > 32 && c < 127 && c != '(' && c != ')' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
