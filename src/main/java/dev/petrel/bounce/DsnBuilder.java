package dev.petrel.bounce;

import static dev.petrel.bounce.MessageText.CRLF;
import static dev.petrel.bounce.MessageText.field;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.LineLimit;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.Door;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Builds delivery status notifications: RFC 3464 reports in an RFC 6522 multipart/report, sent from the null
 * reverse path to the original sender. One DSN covers the recipients of one message that share one kind of
 * outcome (failed, delayed, or succeeded); only recipients whose RFC 3461 NOTIFY asks for that kind are
 * reported, and a message with the null sender never gets one, so bounces cannot loop.
 */
public final class DsnBuilder {

    /** Above this size a failure DSN returns only the original header section. */
    public static final long DEFAULT_MAX_RETURNED_SIZE = 10L * 1024 * 1024;

    private final String hostname;
    private final Clock clock;
    private final RandomGenerator random;
    private final long maxReturnedSize;

    public DsnBuilder(String hostname, Clock clock, RandomGenerator random) {
        this(hostname, clock, random, DEFAULT_MAX_RETURNED_SIZE);
    }

    /**
     * @param hostname the reporting MTA's fully qualified host name (Reporting-MTA, From, Message-ID)
     * @param maxReturnedSize the largest original message returned whole; larger ones return their headers
     */
    public DsnBuilder(String hostname, Clock clock, RandomGenerator random, long maxReturnedSize) {
        if (hostname == null || !hostname.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("invalid host name: " + hostname);
        }
        if (maxReturnedSize < 0) {
            throw new IllegalArgumentException("negative size limit");
        }
        this.hostname = hostname;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.maxReturnedSize = maxReturnedSize;
    }

    /** The reports whose recipients asked for a DSN of their kind (RFC 3461 4.1 NOTIFY). */
    public static List<RecipientReport> wanted(List<RecipientReport> reports) {
        return reports.stream().filter(r -> r.kind().isWantedBy(r.recipient())).toList();
    }

    /**
     * The DSN for these outcomes of one message, all of one kind. Empty when the message's sender is the null
     * path (RFC 3461 6.2, RFC 5321 4.5.5: no notification is ever sent for a notification) or when no
     * recipient asked for this kind of DSN.
     *
     * @throws IllegalArgumentException when reports is empty or mixes kinds
     */
    public Optional<Dsn> build(OriginalMessage original, List<RecipientReport> reports) {
        DsnKind kind = kindOf(reports);
        Optional<Address> sender = original.envelope().reversePath().mailbox();
        List<RecipientReport> reported = wanted(reports);
        if (sender.isEmpty() || reported.isEmpty()) {
            return Optional.empty();
        }
        boolean global = needsGlobal(original.envelope(), sender.get(), reported);
        Returned returned = returned(kind, original, global);
        byte[] content = render(kind, original, reported, sender.get(), global, returned);
        // RFC 8689 5: the notice of a REQUIRETLS message is tagged REQUIRETLS too (from the null path, so it is
        // not returned when the next hop lacks it)
        Envelope envelope = envelopeTo(sender.get(), content).withRequireTls(original.envelope().requireTls());
        return Optional.of(new Dsn(kind, envelope, content));
    }

    /** Builds the DSN and queues it like any message; the id of the queued DSN, or empty when none is due. */
    public Optional<QueueId> enqueue(Door door, OriginalMessage original, List<RecipientReport> reports)
            throws IOException {
        Optional<Dsn> dsn = build(original, reports);
        if (dsn.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(door.enqueue(dsn.get().envelope(), new byte[0], dsn.get().content()));
    }

    /**
     * Postfix's 2bounce notice: failures of a notification (a message from the null path), which no DSN may
     * report to its sender, go to the postmaster instead, in a DSN as if the postmaster had sent the notification.
     */
    public Optional<QueueId> enqueueDoubleBounce(Door door, OriginalMessage original, List<RecipientReport> failures,
                                                 Address postmaster) throws IOException {
        Envelope e = original.envelope();
        Envelope asPostmaster = e.withReversePath(ReversePath.of(postmaster));
        return enqueue(door, new OriginalMessage(original.id(), original.arrival(), asPostmaster, original.content()),
                failures);
    }

    private static DsnKind kindOf(List<RecipientReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports at least one recipient");
        }
        DsnKind kind = reports.getFirst().kind();
        if (reports.stream().anyMatch(r -> r.kind() != kind)) {
            throw new IllegalArgumentException("one DSN reports one kind of outcome");
        }
        return kind;
    }

    // RFC 6533: UTF-8 addresses or an SMTPUTF8 message get the global report types
    private static boolean needsGlobal(Envelope envelope, Address sender, List<RecipientReport> reported) {
        return envelope.smtpUtf8() || sender.needsUtf8()
                || reported.stream().anyMatch(r -> r.recipient().address().needsUtf8());
    }

    /** The third part: what of the original message goes back, and as which media type. */
    private record Returned(String contentType, String description, byte[] body, boolean whole) {}

    private Returned returned(DsnKind kind, OriginalMessage original, boolean global) {
        byte[] content = MessageText.withCrlf(original.content());
        // RFC 3461 4.3: RET=HDRS asks for the headers only; without RET the MTA chooses: like Postfix, the
        // whole message for a failure, only headers for a delay or success report. Messages over the size
        // limit, BINARYMIME ones, and ones with lines over 998 octets (RFC 5322 2.1.1; queued before intake
        // made lines fit, or a copy of such), whose lines a DSN could not carry, return their headers only.
        // RFC 8689 5: a REQUIRETLS message is returned as if RET=HDRS, its body never leaves in the notice.
        boolean whole = kind == DsnKind.FAILURE
                && original.envelope().ret() != Envelope.Ret.HDRS
                && !original.envelope().requireTls()
                && original.envelope().bodyType() != Envelope.BodyType.BINARY_MIME
                && original.content().length <= maxReturnedSize
                && !LineLimit.exceeded(content);
        if (whole) {
            // RFC 6532 3.7: message/global for a message that may carry UTF-8 header fields
            return new Returned(global ? "message/global" : "message/rfc822", "Undelivered Message", content, true);
        }
        String type = global ? "message/global-headers" : "text/rfc822-headers";
        String description = kind == DsnKind.FAILURE ? "Undelivered Message Headers" : "Message Headers";
        // a header field's line over 998 octets is folded (RFC 5322 2.2.3)
        return new Returned(type, description, LineLimit.enforce(MessageText.headerSection(content)), false);
    }

    private byte[] render(DsnKind kind, OriginalMessage original, List<RecipientReport> reported, Address sender,
            boolean global, Returned returned) {
        String boundary = boundary(original, returned.body());
        String text = new Explanation(hostname, global).render(kind, reported, returned.whole());
        String status = new StatusFields(hostname, global).render(original, reported);
        ByteArrayOutputStream out = new ByteArrayOutputStream(returned.body().length + 4096);
        write(out, topHeaders(kind, original, sender, global, boundary));
        write(out, "This is a MIME-encapsulated message." + CRLF);
        write(out, partHeaders(boundary, "Notification", "text/plain; charset=" + (global ? "utf-8" : "us-ascii"), text));
        write(out, text);
        String statusType = global ? "message/global-delivery-status" : "message/delivery-status";
        write(out, partHeaders(boundary, "Delivery report", statusType, status));
        write(out, status);
        String returnedType = returned.contentType();
        write(out, partHeaders(boundary, returned.description(), returnedType, returned.body()));
        out.writeBytes(returned.body());
        write(out, CRLF + "--" + boundary + "--" + CRLF);
        return out.toByteArray();
    }

    private String topHeaders(DsnKind kind, OriginalMessage original, Address sender, boolean global, String boundary) {
        Instant now = clock.instant();
        String reportType = global ? "global-delivery-status" : "delivery-status";
        return field("From", "\"Mail Delivery System\" <MAILER-DAEMON@" + hostname + ">")
                + field("To", sender.toString())
                + field("Subject", kind.subject())
                + field("Date", MessageText.date(now))
                + field("Message-ID", "<" + now.getEpochSecond() + "." + original.id().value() + "."
                        + HexFormat.of().toHexDigits(random.nextLong()) + "@" + hostname + ">")
                + field("MIME-Version", "1.0")
                // RFC 3834 5: a DSN is an automatic response
                + field("Auto-Submitted", "auto-replied")
                // RFC 6522 3: report-type names the subtype of the second part
                + field("Content-Type", "multipart/report; report-type=" + reportType + "; boundary=\"" + boundary + "\"")
                + CRLF;
    }

    private static String partHeaders(String boundary, String description, String contentType, String body) {
        return partHeaders(boundary, description, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    // RFC 2046 5.2.1 and RFC 6532 3.5: message parts are 7bit or 8bit, never otherwise encoded
    private static String partHeaders(String boundary, String description, String contentType, byte[] body) {
        return CRLF + "--" + boundary + CRLF
                + field("Content-Description", description)
                + field("Content-Type", contentType)
                + (MessageText.hasEightBit(body) ? field("Content-Transfer-Encoding", "8bit") : "")
                + CRLF;
    }

    // RFC 2046 5.1.1: at most 70 characters, and it must not occur in any part; random bits make that near
    // certain, the check sure (the other parts are written here and cannot hold "=_")
    private String boundary(OriginalMessage original, byte[] returned) {
        while (true) {
            String b = "=_" + HexFormat.of().toHexDigits(random.nextLong()) + "." + original.id().value();
            if (indexOf(returned, ("--" + b).getBytes(StandardCharsets.US_ASCII)) < 0) {
                return b;
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // The DSN's own envelope: the null reverse path, the original sender as its one recipient
    private static Envelope envelopeTo(Address sender, byte[] content) {
        Envelope.BodyType body = MessageText.hasEightBit(content) ? Envelope.BodyType.EIGHT_BIT_MIME
                : Envelope.BodyType.SEVEN_BIT;
        // RFC 6531: SMTPUTF8 only when an address or top-level header field needs it: here, the sender's
        return new Envelope(ReversePath.NULL, List.of(Recipient.of(sender)), body, sender.needsUtf8(),
                Envelope.Ret.NONE, null, null, "local", null);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
