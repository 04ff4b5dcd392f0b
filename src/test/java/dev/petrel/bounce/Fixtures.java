package dev.petrel.bounce;

import dev.petrel.mail.Address;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Messages, outcomes and a small reader of built DSNs, shared by the bounce tests. */
final class Fixtures {

    static final Instant ARRIVAL = Instant.parse("2026-11-28T08:00:00Z");
    static final Instant ATTEMPT = Instant.parse("2026-11-28T09:59:00Z");
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final Instant GIVE_UP = Instant.parse("2026-12-03T08:00:00Z");
    static final QueueId ID = new QueueId("0123456789BCDFGH");
    static final String HOST = "mx.petrel.test";

    static final String ORIGINAL = """
            Received: from client.sender.test (client.sender.test [192.0.2.7])\r
            \tby mx.petrel.test with ESMTP id 0123456789BCDFGH\r
            From: Alice <alice@sender.test>\r
            To: bob@example.org\r
            Subject: Quarterly report\r
            Message-ID: <m1@sender.test>\r
            \r
            Hello Bob,\r
            the figures are attached.\r
            """;

    private Fixtures() {}

    static DsnBuilder builder() {
        return new DsnBuilder(HOST, Clock.fixed(NOW, ZoneOffset.UTC), new Random(7));
    }

    static Recipient rcpt(String address) {
        return Recipient.of(Address.of(address));
    }

    static Recipient rcpt(String address, Set<Recipient.Notify> notify, String orcpt) {
        return new Recipient(Address.of(address), notify, orcpt);
    }

    static Envelope envelope(String sender, Envelope.Ret ret, String envid, Recipient... recipients) {
        ReversePath from = sender == null ? ReversePath.NULL : ReversePath.of(Address.of(sender));
        return new Envelope(from, List.of(recipients), Envelope.BodyType.SEVEN_BIT, false, ret, envid, null,
                "192.0.2.7", "client.sender.test");
    }

    static OriginalMessage message(Envelope envelope) {
        return new OriginalMessage(ID, ARRIVAL, envelope, ORIGINAL.getBytes(StandardCharsets.UTF_8));
    }

    static RecipientReport failed(Recipient r) {
        return RecipientReport.failed(r, EnhancedStatus.BAD_DESTINATION_MAILBOX, "mx.example.org",
                Diagnostic.smtp(Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "User unknown")), ATTEMPT);
    }

    static RecipientReport delayed(Recipient r) {
        return RecipientReport.delayed(r, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "mx.example.org",
                Diagnostic.smtp(Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Try again later")), ATTEMPT,
                GIVE_UP);
    }

    static RecipientReport relayed(Recipient r) {
        return RecipientReport.succeeded(r, Action.RELAYED, new EnhancedStatus(2, 0, 0), "mx.example.org",
                Diagnostic.smtp(Reply.of(250, new EnhancedStatus(2, 0, 0), "Ok: queued as 4AbC")), ATTEMPT);
    }

    /** A DSN read back by splitting on its own boundary: enough to check fields, not a MIME parser. */
    record Read(Map<String, String> headers, List<Part> parts) {

        static Read of(byte[] content) {
            String text = new String(content, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            Map<String, String> headers = fields(text.substring(0, end + 2));
            String type = headers.get("content-type");
            String boundary = type.substring(type.indexOf("boundary=\"") + 10, type.lastIndexOf('"'));
            String body = text.substring(end + 4);
            String[] chunks = body.split("\r\n--" + java.util.regex.Pattern.quote(boundary), -1);
            List<Part> parts = new ArrayList<>();
            for (int i = 1; i < chunks.length - 1; i++) {
                String chunk = chunks[i].substring(2);
                int split = chunk.indexOf("\r\n\r\n");
                parts.add(new Part(fields(chunk.substring(0, split + 2)), chunk.substring(split + 4)));
            }
            return new Read(headers, parts);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** The blocks of the delivery-status part: the per-message block first. */
        List<Map<String, String>> statusBlocks() {
            List<Map<String, String>> blocks = new ArrayList<>();
            for (String block : parts.get(1).body().split("\r\n\r\n")) {
                if (!block.isBlank()) {
                    blocks.add(fields(block.endsWith("\r\n") ? block : block + "\r\n"));
                }
            }
            return blocks;
        }
    }

    record Part(Map<String, String> headers, String body) {
        String type() {
            return headers.get("content-type");
        }
    }

    // header fields, unfolded, by lower-case name
    static Map<String, String> fields(String section) {
        Map<String, String> out = new LinkedHashMap<>();
        String unfolded = section.replace("\r\n\t", " ").replace("\r\n ", " ");
        for (String line : unfolded.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return out;
    }
}
