package dev.petrel.cli;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A request over the control socket, and its wire form (Java's DataOutput encoding). */
sealed interface ControlRequest {

    record Hold(String id) implements ControlRequest {}

    record Release(String id) implements ControlRequest {}

    record Delete(String id) implements ControlRequest {}

    record Enqueue(Envelope envelope, byte[] content) implements ControlRequest {}

    record Flush() implements ControlRequest {}

    /** The server's health, as {@link ServerHealth} reports it: one line each, then the connection closes. */
    record Status() implements ControlRequest {}

    /** Send a UTC day's daily reports of a kind ("tls") that were not sent yet. */
    record Report(java.time.LocalDate day, String kind) implements ControlRequest {}

    /** The event feed after a cursor, one JSON line each; with {@code follow}, new ones as they come. */
    record Events(long after, boolean follow) implements ControlRequest {}

    int MAX_CONTENT = 1 << 30;

    default void write(DataOutputStream out) throws IOException {
        switch (this) {
            case Hold h -> out.writeUTF("HOLD " + h.id());
            case Release r -> out.writeUTF("RELEASE " + r.id());
            case Delete d -> out.writeUTF("DELETE " + d.id());
            case Flush f -> out.writeUTF("FLUSH");
            case Status s -> out.writeUTF("STATUS");
            case Report r -> out.writeUTF("REPORT " + r.day() + " " + r.kind());
            case Events e -> out.writeUTF("EVENTS " + e.after() + (e.follow() ? " follow" : ""));
            case Enqueue e -> {
                out.writeUTF("ENQUEUE");
                out.writeUTF(e.envelope().reversePath().toString());
                out.writeInt(e.envelope().recipients().size());
                for (Recipient r : e.envelope().recipients()) {
                    out.writeUTF(r.address().toString());
                }
                out.writeInt(e.content().length);
                out.write(e.content());
            }
        }
        out.flush();
    }

    static ControlRequest read(DataInputStream in) throws IOException {
        String head = in.readUTF();
        if (head.equals("ENQUEUE")) {
            String sender = in.readUTF();
            int count = in.readInt();
            if (count < 1 || count > 100_000) {
                throw new IOException("bad recipient count");
            }
            List<Recipient> recipients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                recipients.add(Recipient.of(Address.of(in.readUTF())));
            }
            int length = in.readInt();
            if (length < 0 || length > MAX_CONTENT) {
                throw new IOException("bad content length");
            }
            byte[] content = in.readNBytes(length);
            ReversePath from = sender.isEmpty() ? ReversePath.NULL : ReversePath.of(Address.of(sender));
            return new Enqueue(localEnvelope(from, recipients), content);
        }
        if (head.equals("FLUSH")) {
            return new Flush();
        }
        if (head.equals("STATUS")) {
            return new Status();
        }
        String[] words = head.split(" ", 2);
        if (words.length != 2) {
            throw new IOException("bad request");
        }
        return switch (words[0]) {
            case "EVENTS" -> events(words[1]);
            case "HOLD" -> new Hold(words[1]);
            case "RELEASE" -> new Release(words[1]);
            case "DELETE" -> new Delete(words[1]);
            case "REPORT" -> report(words[1]);
            default -> throw new IOException("unknown request " + words[0]);
        };
    }

    private static Report report(String args) throws IOException {
        String[] parts = args.split(" ");
        try {
            return new Report(java.time.LocalDate.parse(parts[0]), parts.length > 1 ? parts[1] : dev.petrel.report.DailyReports.ALL);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("bad day " + parts[0]);
        }
    }

    private static Events events(String args) throws IOException {
        String[] parts = args.split(" ");
        try {
            return new Events(Long.parseLong(parts[0]), parts.length > 1 && parts[1].equals("follow"));
        } catch (NumberFormatException e) {
            throw new IOException("bad cursor " + parts[0]);
        }
    }

    static Envelope localEnvelope(ReversePath sender, List<Recipient> recipients) {
        boolean utf8 = recipients.stream().anyMatch(r -> r.address().needsUtf8())
                || sender.mailbox().map(Address::needsUtf8).orElse(false);
        return new Envelope(sender, recipients, Envelope.BodyType.EIGHT_BIT_MIME, utf8, Envelope.Ret.NONE, null, null,
                "local", null);
    }
}
