package dev.petrel.bounce;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Feedback from receivers, arriving on the mx listener for the bounce domain or a complaints address: a DSN
 * (RFC 3464) to a message's bounce address becomes {@code message.bounced} (action failed) or
 * {@code message.deferred} (action delayed: RFC 3464 2.3.3 says the receiver is still trying, as a deferral
 * does) for the message and recipient the address names; an ARF complaint (RFC 5965) becomes
 * {@code message.complained}. The tenant and stream come from the address's keyed scope, never from the report.
 * A report that cannot be read, or that names no message of ours, is kept for an operator ({@link KeptReports}).
 * A reported failure is classified as a reply would be, from the report's status and diagnostic text. Mail to an
 * address of the bounce domain that asks for something itself (the unsubscribe address of RFC 2369's mailto form)
 * goes to its {@link Requests}; what it cannot act on is kept too.
 */
public final class FeedbackReceiver {

    /** Writes events durably: returns once they are on stable storage. */
    public interface Recorder {
        void record(List<MailEvent> events) throws IOException;
    }

    /** Finds the tenant and stream whose keyed scope a bounce address carries. */
    public interface Scopes {
        Optional<SendContext> context(String scope);
    }

    /** An address on the bounce domain whose mail is a request, not a report: the unsubscribe address. */
    public interface Requests {

        Requests NONE = new Requests() {
            @Override
            public boolean isFor(Address to) {
                return false;
            }

            @Override
            public boolean take(byte[] content) {
                return false;
            }
        };

        boolean isFor(Address to);

        /** Does what the mail asks, durably; false when it asks nothing that can be done (it is then kept). */
        boolean take(byte[] content) throws IOException;
    }

    private final BounceAddresses bounces;
    private final Set<Address> complaints;
    private final Scopes scopes;
    private final Recorder events;
    private final Clock clock;
    private final KeptReports kept;
    private final Classifier classifier;
    private final Requests requests;

    /** A receiver of reports alone. */
    public FeedbackReceiver(BounceAddresses bounces, Set<Address> complaints, Scopes scopes, Recorder events,
                            Clock clock, KeptReports kept, Classifier classifier) {
        this(bounces, complaints, scopes, events, clock, kept, classifier, Requests.NONE);
    }

    /**
     * @param complaints addresses that take ARF reports, as registered with providers' feedback loops
     * @param requests the bounce domain's address whose mail is a request (unsubscribe)
     */
    public FeedbackReceiver(BounceAddresses bounces, Set<Address> complaints, Scopes scopes, Recorder events,
                            Clock clock, KeptReports kept, Classifier classifier, Requests requests) {
        this.requests = requests;
        this.bounces = bounces;
        this.complaints = Set.copyOf(complaints);
        this.scopes = scopes;
        this.events = events;
        this.clock = clock;
        this.kept = kept;
        this.classifier = classifier;
    }

    /** Whether mail to the address is feedback for this receiver (valid or not). */
    public boolean isFeedbackAddress(Address to) {
        return bounces.isBounceDomain(to) || complaints.contains(to);
    }

    /**
     * RCPT: a complaints address, the requests address, or a bounce address whose HMAC holds (a recipient's, or
     * the message's own, which local mailboxes show as Return-Path); a forged one is refused.
     */
    public boolean accepts(Address to) {
        return complaints.contains(to) || requests.isFor(to) || bounces.verify(to).isPresent();
    }

    /**
     * Reads mail sent to these recipients (all feedback addresses) and publishes what it says: a request to the
     * requests address is done, a report to the others read.
     */
    public void receive(List<Address> recipients, byte[] content) throws IOException {
        List<Address> reports = recipients.stream().filter(to -> !requests.isFor(to)).toList();
        if (reports.size() < recipients.size() && !requests.take(content)) {
            kept.keep(content, "a request naming nothing of ours");
        }
        if (!reports.isEmpty()) {
            report(reports, content);
        }
    }

    private void report(List<Address> recipients, byte[] content) throws IOException {
        Optional<InboundReport> report = ReportParser.parse(content);
        Optional<BounceAddresses.Verp> verp = recipients.stream().map(bounces::verify).flatMap(Optional::stream)
                .findFirst();
        List<MailEvent> out = new ArrayList<>();
        if (report.isPresent()) {
            out = switch (report.get()) {
                case InboundReport.DeliveryReport d -> verp.map(v -> delivery(v, d)).orElse(List.of());
                case InboundReport.Complaint c -> complaint(verp.or(() -> fromOriginal(c)), c);
            };
        }
        if (out.isEmpty()) {
            kept.keep(content, report.isEmpty() ? "unreadable" : "no message of ours");
            return;
        }
        events.record(out);
    }

    private List<MailEvent> delivery(BounceAddresses.Verp verp, InboundReport.DeliveryReport d) {
        Optional<SendContext> context = scopes.context(verp.scope());
        if (context.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<MailEvent> out = new ArrayList<>();
        for (InboundReport.RecipientStatus s : d.recipients()) {
            // MailEvent.Outcome.reported() knows these relays: a receiver's report, not an attempt made here
            String relay = s.remoteMta() == null ? "dsn" : "dsn:" + s.remoteMta();
            String reply = s.diagnostic() == null ? s.status() : s.diagnostic();
            switch (s.action()) {
                case "failed" -> out.add(new MailEvent.Bounced(now, verp.id(), s.finalRecipient(), relay, Duration.ZERO,
                        s.status(), reply, classified(s), context.get()));
                case "delayed" -> out.add(new MailEvent.Deferred(now, verp.id(), s.finalRecipient(), relay,
                        Duration.ZERO, s.status(), reply, classified(s), context.get()));
                default -> { } // delivered, relayed, expanded: nothing went wrong (RFC 3464 2.3.3)
            }
        }
        return out;
    }

    private BounceClass classified(InboundReport.RecipientStatus s) {
        EnhancedStatus status;
        try {
            status = EnhancedStatus.parse(s.status());
        } catch (IllegalArgumentException e) {
            status = null;
        }
        return classifier.classify(status, s.diagnostic());
    }

    // a complaints address: the original's Return-Path is the bounce address it was sent from (RFC 5965 3.3
    // returns the message, or its header), else the report's Original-Mail-From
    private Optional<BounceAddresses.Verp> fromOriginal(InboundReport.Complaint c) {
        return Optional.ofNullable(c.original().returnPath()).or(() -> Optional.ofNullable(c.originalMailFrom()))
                .flatMap(FeedbackReceiver::address).flatMap(bounces::verify);
    }

    private List<MailEvent> complaint(Optional<BounceAddresses.Verp> verp, InboundReport.Complaint c) {
        Optional<SendContext> context = verp.flatMap(v -> scopes.context(v.scope()));
        if (context.isEmpty()) {
            return List.of();
        }
        String to = c.originalRcptTo() == null ? "unknown" : c.originalRcptTo();
        String reporter = c.userAgent() == null ? "unknown" : c.userAgent();
        return List.of(new MailEvent.Complained(clock.instant(), verp.get().id(), to, c.feedbackType(), reporter,
                context.get()));
    }

    private static Optional<Address> address(String text) {
        try {
            return Optional.of(Address.parse(text, true));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
