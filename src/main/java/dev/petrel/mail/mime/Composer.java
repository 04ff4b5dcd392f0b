package dev.petrel.mail.mime;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Composes a {@link Draft} into an RFC 5322 message with a MIME body (RFC 2045-2049). The structure follows what
 * the draft holds: text alone is text/plain, html alone text/html, both a multipart/alternative with the text
 * first (RFC 2046 5.1.4: the plainest part first); inline files (with a content id) and the html sit in a
 * multipart/related (RFC 2387); other files and all that make a multipart/mixed (RFC 2046 5.1.3). Inline files
 * without html are carried as other files. Date, Message-ID and MIME-Version are added; Bcc is never written.
 */
public final class Composer {

    // RFC 5322 3.3 date-time, with a numeric zone
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);
    private static final int MESSAGE_ID_RANDOM = 24;

    private final Clock clock;
    private final RandomGenerator random;
    private final Optional<Domain> messageIdDomain;

    /**
     * @param clock gives the Date field
     * @param random draws boundaries and Message-IDs
     * @param messageIdDomain the right side of Message-IDs; when empty, the From address's domain
     */
    public Composer(Clock clock, RandomGenerator random, Optional<Domain> messageIdDomain) {
        this.clock = clock;
        this.random = random;
        this.messageIdDomain = messageIdDomain;
    }

    /** The message for {@code draft}; throws {@link InvalidMessageException} naming the field at fault. */
    public ComposedMessage compose(Draft draft) {
        DraftRules.check(draft);
        String messageId = "<" + Boundary.randomText(random, MESSAGE_ID_RANDOM).toLowerCase(Locale.ROOT) + "@"
                + messageIdDomain.orElse(draft.from().address().domain()).name() + ">";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headerFields(draft, messageId).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Part.render(body(draft), random));
        return new ComposedMessage(out.toByteArray(), draft.from().address(), recipients(draft), messageId);
    }

    // RFC 5322 3.6: origination date and originator are required, the rest as the draft has them
    private String headerFields(Draft draft, String messageId) {
        StringBuilder out = new StringBuilder();
        out.append(Fields.addresses("From", List.of(draft.from())));
        addresses(out, "Reply-To", draft.replyTo());
        addresses(out, "To", draft.to());
        addresses(out, "Cc", draft.cc());
        out.append(Fields.unstructured("Subject", draft.subject()));
        out.append(Fields.fold("Date", List.of(ZonedDateTime.now(clock).format(DATE))));
        out.append(Fields.fold("Message-ID", List.of(messageId)));
        draft.headers().forEach(h -> out.append(Fields.unstructured(h.name(), h.value())));
        // RFC 2045 4
        out.append(Fields.fold("MIME-Version", List.of("1.0")));
        return out.toString();
    }

    private static void addresses(StringBuilder out, String name, List<Mailbox> mailboxes) {
        if (!mailboxes.isEmpty()) {
            out.append(Fields.addresses(name, mailboxes));
        }
    }

    private static List<Address> recipients(Draft draft) {
        LinkedHashSet<Address> all = new LinkedHashSet<>();
        for (List<Mailbox> list : List.of(draft.to(), draft.cc(), draft.bcc())) {
            list.forEach(m -> all.add(m.address()));
        }
        return List.copyOf(all);
    }

    private static Part body(Draft draft) {
        List<Attachment> inline = new ArrayList<>();
        List<Attachment> files = new ArrayList<>();
        for (Attachment a : draft.attachments()) {
            (a.inline() && draft.html() != null ? inline : files).add(a);
        }
        Part html = draft.html() == null ? null : text("html", draft.html());
        if (html != null && !inline.isEmpty()) {
            List<Part> related = new ArrayList<>(List.of(html));
            inline.forEach(a -> related.add(file(a)));
            html = new Part.Multipart("related", List.of("type=\"text/html\""), related);
        }
        Part core;
        if (draft.text() != null && html != null) {
            core = new Part.Multipart("alternative", List.of(), List.of(text("plain", draft.text()), html));
        } else {
            core = html != null ? html : text("plain", draft.text());
        }
        if (files.isEmpty()) {
            return core;
        }
        List<Part> mixed = new ArrayList<>(List.of(core));
        files.forEach(a -> mixed.add(file(a)));
        return new Part.Multipart("mixed", List.of(), mixed);
    }

    private static Part text(String subtype, String text) {
        String type = Fields.fold("Content-Type", List.of("text/" + subtype + ";", " charset=utf-8"));
        return new Part.Leaf(List.of(type), Encoded.text(text));
    }

    // RFC 2183: the disposition carries the file name; the type's "name" is a fallback for older readers
    private static Part file(Attachment a) {
        List<String> type = new ArrayList<>(Parameters.contentType(a.contentType()));
        type.set(type.size() - 1, type.getLast() + ";");
        type.add(" name=\"" + Parameters.asciiFallback(a.fileName()) + "\"");
        List<String> disposition = new ArrayList<>(List.of(a.inline() ? "inline;" : "attachment;"));
        disposition.addAll(Parameters.fileName("filename", a.fileName()));
        List<String> fields = new ArrayList<>(List.of(Fields.fold("Content-Type", type),
                Fields.fold("Content-Disposition", disposition)));
        if (a.inline()) {
            fields.add(Fields.fold("Content-ID", List.of("<" + contentId(a.contentId()) + ">")));
        }
        return new Part.Leaf(fields, Encoded.base64(a.content()));
    }

    /** A content id without the {@code cid:} of an HTML reference (RFC 2392 2) or the angle brackets. */
    static String contentId(String given) {
        String id = given.strip();
        if (id.regionMatches(true, 0, "cid:", 0, 4)) {
            id = id.substring(4);
        }
        if (id.startsWith("<") && id.endsWith(">") && id.length() >= 2) {
            id = id.substring(1, id.length() - 1);
        }
        return id;
    }
}
