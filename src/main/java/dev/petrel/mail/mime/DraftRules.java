package dev.petrel.mail.mime;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks a draft passes before it is composed. Each refusal names the field at fault as the send API spells
 * it, with its index in a list: {@code cc[2]}, {@code headers[0].name}, {@code attachments[1].content_type}.
 */
final class DraftRules {

    // fields the composer writes itself, or that would change the message's structure (RFC 2045 3: Content-*)
    private static final Set<String> OWNED = Set.of("from", "to", "cc", "bcc", "reply-to", "subject", "date",
            "message-id", "mime-version", "return-path");
    // RFC 2392 2 and RFC 5322 3.6.4: id-left "@" id-right, dot-atom-text; the right side may be missing, as
    // senders write "logo.png"
    private static final String CONTENT_ID =
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+(@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\\[\\]:-]+)?";

    private DraftRules() {
    }

    static void check(Draft draft) {
        if (draft.from() == null) {
            throw new InvalidMessageException("from", "required");
        }
        mailbox("from", draft.from());
        mailboxes("to", draft.to());
        mailboxes("cc", draft.cc());
        mailboxes("bcc", draft.bcc());
        mailboxes("reply_to", draft.replyTo());
        if (draft.to().isEmpty() && draft.cc().isEmpty() && draft.bcc().isEmpty()) {
            throw new InvalidMessageException("to", "no recipient in to, cc or bcc");
        }
        noLineBreak("subject", draft.subject());
        if (draft.text() == null && draft.html() == null) {
            throw new InvalidMessageException("text", "a text or an html body is required");
        }
        for (int i = 0; i < draft.headers().size(); i++) {
            header("headers[" + i + "]", draft.headers().get(i));
        }
        for (int i = 0; i < draft.attachments().size(); i++) {
            attachment("attachments[" + i + "]", draft.attachments().get(i));
        }
        uniqueContentIds(draft.attachments());
    }

    // RFC 2392 2: a content id names one body part
    private static void uniqueContentIds(List<Attachment> attachments) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < attachments.size(); i++) {
            Attachment a = attachments.get(i);
            if (a.inline()) {
                Integer first = seen.putIfAbsent(Composer.contentId(a.contentId()), i);
                if (first != null) {
                    throw new InvalidMessageException("attachments[" + i + "].content_id",
                            "also the content id of attachments[" + first + "]");
                }
            }
        }
    }

    private static void mailboxes(String field, List<Mailbox> list) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new InvalidMessageException(field + "[" + i + "]", "required");
            }
            mailbox(field + "[" + i + "]", list.get(i));
        }
    }

    private static void mailbox(String field, Mailbox mailbox) {
        if (mailbox.address().needsUtf8()) {
            // RFC 6532 would allow it in the header, but only over SMTPUTF8 (RFC 6531); not offered here
            throw new InvalidMessageException(field, "a non-ASCII local part is not supported");
        }
        noLineBreak(field, mailbox.displayName());
        if (mailbox.displayName().chars().anyMatch(c -> c < 32 || c == 127)) {
            // RFC 5322 3.2.5: a phrase holds printable text; readers flag controls even when encoded
            throw new InvalidMessageException(field, "control characters in a display name");
        }
    }

    private static void header(String field, ExtraHeader header) {
        String name = header.name() == null ? "" : header.name();
        // RFC 5322 3.6.8: field-name = 1*ftext; ftext = %d33-57 / %d59-126
        if (!name.matches("[!-9;-~]+")) {
            throw new InvalidMessageException(field + ".name", "not a header field name (RFC 5322 3.6.8)");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (OWNED.contains(lower) || lower.startsWith("content-")) {
            throw new InvalidMessageException(field + ".name", name + " is set by the composer, not as a header");
        }
        if (header.value() == null) {
            throw new InvalidMessageException(field + ".value", "required");
        }
        noLineBreak(field + ".value", header.value());
    }

    private static void attachment(String field, Attachment a) {
        if (a == null) {
            throw new InvalidMessageException(field, "required");
        }
        if (a.fileName() == null || a.fileName().isEmpty()) {
            throw new InvalidMessageException(field + ".name", "required");
        }
        if (a.fileName().chars().anyMatch(c -> c < 32 || c == 127)) {
            throw new InvalidMessageException(field + ".name", "control characters in a file name");
        }
        if (a.content() == null) {
            throw new InvalidMessageException(field + ".content", "required");
        }
        contentType(field + ".content_type", a.contentType());
        if (a.inline() && !Composer.contentId(a.contentId()).matches(CONTENT_ID)) {
            throw new InvalidMessageException(field + ".content_id", "not a content id (RFC 2392)");
        }
    }

    private static void contentType(String field, String type) {
        if (type == null || type.isBlank()) {
            throw new InvalidMessageException(field, "required");
        }
        try {
            Parameters.contentType(type);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field, e.getMessage());
        }
        String top = Parameters.topLevel(type);
        if (top.equals("multipart") || top.equals("message")) {
            // RFC 2045 6.4 and RFC 2046 5.2.1: these may not be base64-encoded
            throw new InvalidMessageException(field, top + "/* cannot be an attachment's type");
        }
    }

    private static void noLineBreak(String field, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new InvalidMessageException(field, "CR, LF and NUL are not allowed");
        }
    }
}
