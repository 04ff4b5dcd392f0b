package dev.petrel.web;

import dev.petrel.intake.Intake;
import dev.petrel.intake.Submission;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.mime.ComposedMessage;
import dev.petrel.mail.mime.Composer;
import dev.petrel.mail.mime.Draft;
import dev.petrel.mail.mime.InvalidMessageException;
import dev.petrel.policy.KeySending;
import dev.petrel.tenant.ApiKey;
import dev.petrel.web.SendOutcome.Problem;
import dev.petrel.web.SendOutcome.RecipientResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one message for an API key: the operation behind {@code POST /v1/messages} (and its batch and raw forms)
 * and the Postmark-compatible routes, so that each rule is here once and the handlers only parse and render. In
 * order: compose the draft (or take the raw message), check its size and recipient count, ask the send policy
 * whether the key may send it ({@link KeySending}: the sender's and From's domains are the tenant's, the stream is
 * one the key may use), check each recipient as SMTP does at RCPT, ask {@link Admission} (limits, suppressions,
 * consents), and queue it through {@link Intake}, which signs it (DKIM) and answers once it is on disk.
 */
public final class Sending {

    /** The WITH value of the Received field intake writes for mail from the API. */
    static final String PROTOCOL = "HTTP";

    /** What the message is: a draft to compose, or a complete message with its envelope. */
    public sealed interface Content {
        record Composed(Draft draft) implements Content {}

        /**
         * A complete message (RFC 5322), which may carry {@code X-Petrel-*} labels as SMTP's may.
         *
         * @param mime its octets; bare LF line breaks are taken as CRLF
         */
        record Raw(byte[] mime, Address from, List<Address> to) implements Content {
            public Raw {
                to = List.copyOf(to);
            }
        }
    }

    /**
     * One message to send.
     *
     * @param stream the stream asked for; empty for the key's own
     * @param tag the sender's tag, or null
     * @param client the address the request came from (the Received field names it)
     */
    public record Order(ApiKey key, Content content, Optional<String> stream, String tag,
                        Map<String, String> metadata, InetAddress client) {
        public Order {
            metadata = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
        }
    }

    /** SMTP's check of a recipient at RCPT, for a client authenticated with the key (a local user must exist). */
    @FunctionalInterface
    public interface RecipientCheck {
        RecipientCheck NONE = (key, to) -> Decision.ACCEPT;

        Decision check(ApiKey key, Address to);
    }

    /**
     * @param messageSize the largest message, in octets ({@code [limits] message_size})
     * @param recipients the most recipients of one message ({@code [limits] recipients})
     */
    public record Limits(long messageSize, int recipients) {}

    private final Intake intake;
    private final KeySending keys;
    private final RecipientCheck recipients;
    private final Admission admission;
    private final Composer composer;
    private final Limits limits;

    public Sending(Intake intake, KeySending keys, RecipientCheck recipients, Admission admission, Composer composer,
                   Limits limits) {
        this.intake = intake;
        this.keys = keys;
        this.recipients = recipients;
        this.admission = admission;
        this.composer = composer;
        this.limits = limits;
    }

    /** A message ready for the checks: its octets, envelope, From domain and own labels. */
    private record Prepared(byte[] content, Address sender, Domain from, List<Address> recipients,
                            KeySending.Labels labels, boolean eightBit) {}

    /** Sends the order's message; returns once it is on stable storage, or refused. */
    public SendOutcome send(Order order) {
        Prepared message;
        try {
            message = prepare(order.content());
        } catch (InvalidMessageException e) {
            return refused(Problem.Kind.INVALID_MESSAGE, e.getMessage());
        }
        if (message.content().length > limits.messageSize()) {
            return refused(Problem.Kind.MESSAGE_TOO_LARGE, "the message is " + message.content().length
                    + " octets, more than the " + limits.messageSize() + " allowed");
        }
        if (message.recipients().size() > limits.recipients()) {
            return refused(Problem.Kind.TOO_MANY_RECIPIENTS, message.recipients().size()
                    + " recipients, more than the " + limits.recipients() + " allowed in one message");
        }
        return switch (grant(order, message)) {
            case KeySending.Grant.Denied d -> refused(kind(d.denial()), d.message());
            case KeySending.Grant.Granted g -> admitted(order, message, g.context());
        };
    }

    private KeySending.Grant grant(Order order, Prepared message) {
        Map<String, String> metadata = new LinkedHashMap<>(message.labels().metadata());
        metadata.putAll(order.metadata());
        String tag = order.tag() != null ? order.tag() : message.labels().tag().orElse(null);
        return keys.grant(order.key(), message.sender().domain(), message.from(),
                order.stream().or(() -> message.labels().stream()), tag, metadata);
    }

    // each recipient checked as at RCPT, then by the tenant's limits, suppressions and consents
    private SendOutcome admitted(Order order, Prepared message, SendContext context) {
        Map<Address, RecipientResult.Refused> refused = new LinkedHashMap<>();
        List<Address> standing = new ArrayList<>();
        for (Address to : message.recipients()) {
            Decision d = recipients.check(order.key(), to);
            switch (d) {
                case Decision.Accept a -> standing.add(to);
                case Decision.Reject r -> refused.put(to, rejected(to, r.reply()));
                case Decision.Defer f -> refused.put(to, rejected(to, f.reply()));
            }
        }
        if (!standing.isEmpty()) {
            switch (admission.admit(order.key(), context, standing)) {
                case Admission.Verdict.Limited l -> {
                    return new SendOutcome.Refused(new Problem(Problem.Kind.RATE_LIMITED, l.message(),
                            l.retryAfter()));
                }
                case Admission.Verdict.Admitted a -> {
                    refused.putAll(a.refused());
                    standing.removeAll(a.refused().keySet());
                }
            }
        }
        if (standing.isEmpty()) {
            return new SendOutcome.NotSent(results(message.recipients(), refused, Map.of()));
        }
        return queued(order, message, context, standing, refused);
    }

    private SendOutcome queued(Order order, Prepared message, SendContext context, List<Address> standing,
                               Map<Address, RecipientResult.Refused> refused) {
        Envelope envelope = new Envelope(ReversePath.of(message.sender()), standing.stream().map(Recipient::of).toList(),
                message.eightBit() ? Envelope.BodyType.EIGHT_BIT_MIME : Envelope.BodyType.SEVEN_BIT, false,
                Envelope.Ret.NONE, null, order.key().identity(), order.client().getHostAddress(), null);
        Intake.Receipt receipt = intake.queue(new Submission(envelope, message.content(), PROTOCOL, null, null, true,
                true, context));
        return switch (receipt) {
            case Intake.Receipt.Queued q -> new SendOutcome.Sent(q.id(), results(message.recipients(), refused,
                    ids(standing, q)));
            case Intake.Receipt.Refused r -> new SendOutcome.Refused(problem(r.reply()));
        };
    }

    private static List<RecipientResult> results(List<Address> all, Map<Address, RecipientResult.Refused> refused,
                                                 Map<Address, QueueId> ids) {
        List<RecipientResult> out = new ArrayList<>(all.size());
        for (Address to : all) {
            RecipientResult.Refused r = refused.get(to);
            out.add(r != null ? r : new RecipientResult.Accepted(to, ids.get(to)));
        }
        return out;
    }

    // each queued recipient's message: one for all, or (broadcast mail) one each, in the envelope's order
    private static Map<Address, QueueId> ids(List<Address> queued, Intake.Receipt.Queued receipt) {
        Map<Address, QueueId> out = new LinkedHashMap<>();
        for (int i = 0; i < queued.size(); i++) {
            out.put(queued.get(i), receipt.ids().size() == queued.size() ? receipt.ids().get(i) : receipt.id());
        }
        return out;
    }

    private static RecipientResult.Refused rejected(Address to, Reply reply) {
        return new RecipientResult.Refused(to.toString(), SendOutcome.Refusal.RECIPIENT_REJECTED, reply.summary());
    }

    private Prepared prepare(Content content) {
        return switch (content) {
            case Content.Composed c -> {
                ComposedMessage m = composer.compose(c.draft());
                yield new Prepared(m.content(), m.sender(), m.sender().domain(), m.recipients(),
                        KeySending.labels(new byte[0]), false);
            }
            case Content.Raw r -> raw(r);
        };
    }

    private static Prepared raw(Content.Raw raw) {
        if (raw.to().isEmpty()) {
            throw new InvalidMessageException("to", "no recipient");
        }
        byte[] mime = RawMessages.crlf(raw.mime());
        KeySending.Labels labels = KeySending.labels(mime);
        Domain from = labels.from().orElseThrow(() -> new InvalidMessageException("message",
                "no From field with a readable address"));
        List<Address> to = raw.to().stream().distinct().toList();
        return new Prepared(labels.content(), raw.from(), from, to, labels, RawMessages.eightBit(labels.content()));
    }

    private static SendOutcome refused(Problem.Kind kind, String message) {
        return new SendOutcome.Refused(new Problem(kind, message));
    }

    private static Problem.Kind kind(KeySending.Denial denial) {
        return switch (denial) {
            case SENDER_NOT_ALLOWED -> Problem.Kind.SENDER_NOT_ALLOWED;
            case STREAM_NOT_ALLOWED -> Problem.Kind.STREAM_NOT_ALLOWED;
            case UNKNOWN_STREAM -> Problem.Kind.UNKNOWN_STREAM;
            case IDENTIFICATION_INCOMPLETE -> Problem.Kind.IDENTIFICATION_INCOMPLETE;
            case STREAM_PAUSED -> Problem.Kind.STREAM_PAUSED;
        };
    }

    // intake's refusals: a full disk (452 4.3.1), another temporary failure, or a permanent one (a mail loop)
    private static Problem problem(Reply reply) {
        if (reply.status() != null && reply.status().equals(EnhancedStatus.MAIL_SYSTEM_FULL)) {
            return new Problem(Problem.Kind.INSUFFICIENT_STORAGE, "the queue's disk is full: " + reply.summary(),
                    java.time.Duration.ofMinutes(1));
        }
        if (reply.isTransient()) {
            return new Problem(Problem.Kind.UNAVAILABLE, "the queue cannot take the message now: " + reply.summary(),
                    java.time.Duration.ofSeconds(30));
        }
        return new Problem(Problem.Kind.MESSAGE_REFUSED, reply.summary());
    }
}
