package dev.petrel.mail.mime;

import dev.petrel.mail.Address;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Drafts and a composer with a fixed clock and seed, for the tests of this package. */
final class Drafts {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T06:46:26Z"), ZoneOffset.ofHours(1));
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\n".getBytes(StandardCharsets.ISO_8859_1);

    private Drafts() {
    }

    static Composer composer(long seed) {
        return new Composer(CLOCK, new Random(seed), Optional.empty());
    }

    static Mailbox mailbox(String name, String address) {
        return new Mailbox(Address.of(address), name);
    }

    /** A draft with a sender, one recipient and a subject; bodies and files as given. */
    static Draft draft(String text, String html, List<Attachment> attachments) {
        return new Draft(mailbox("Shop", "orders@shop.example"), List.of(mailbox("", "ann@a.example")), List.of(),
                List.of(), List.of(), "Your order", text, html, List.of(), attachments);
    }

    static Attachment file(String name, String type, byte[] content) {
        return new Attachment(name, type, content, null);
    }

    static Attachment inline(String name, String type, byte[] content, String cid) {
        return new Attachment(name, type, content, cid);
    }
}
