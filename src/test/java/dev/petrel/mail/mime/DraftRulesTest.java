package dev.petrel.mail.mime;

import static dev.petrel.mail.mime.Drafts.PNG;
import static dev.petrel.mail.mime.Drafts.mailbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.mail.Address;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each refusal of a draft, with its exact message naming the field at fault. */
class DraftRulesTest {

    private static final Draft GOOD = Drafts.draft("hi", null, List.of());

    private static Draft with(UnaryOperator<Builder> change) {
        return change.apply(new Builder(GOOD)).build();
    }

    /** A draft to change one field at a time. */
    private static final class Builder {
        Mailbox from;
        List<Mailbox> to;
        List<Mailbox> cc;
        List<Mailbox> bcc;
        List<Mailbox> replyTo;
        String subject;
        String text;
        String html;
        List<ExtraHeader> headers;
        List<Attachment> attachments;

        Builder(Draft d) {
            from = d.from();
            to = d.to();
            cc = d.cc();
            bcc = d.bcc();
            replyTo = d.replyTo();
            subject = d.subject();
            text = d.text();
            html = d.html();
            headers = d.headers();
            attachments = d.attachments();
        }

        Draft build() {
            return new Draft(from, to, cc, bcc, replyTo, subject, text, html, headers, attachments);
        }
    }

    private static Builder header(Builder b, String name, String value) {
        b.headers = List.of(new ExtraHeader("X-Fine", "ok"), new ExtraHeader(name, value));
        return b;
    }

    private static Builder file(Builder b, Attachment a) {
        b.attachments = List.of(Drafts.file("a.txt", "text/plain", new byte[1]), a);
        return b;
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // the originator and at least one recipient (RFC 5322 3.6.2, 3.6.3)
                Arguments.of(with(b -> { b.from = null; return b; }), "from: required"),
                Arguments.of(with(b -> { b.to = List.of(); return b; }), "to: no recipient in to, cc or bcc"),
                Arguments.of(with(b -> { b.cc = List.of(mailbox("A\nB", "a@a.example")); return b; }),
                        "cc[0]: CR, LF and NUL are not allowed"),
                Arguments.of(with(b -> { b.bcc = List.of(mailbox("A\u0007", "a@a.example")); return b; }),
                        "bcc[0]: control characters in a display name"),
                Arguments.of(with(b -> { b.replyTo = List.of(new Mailbox(Address.of("j\u00f6@a.example"), ""));
                    return b; }), "reply_to[0]: a non-ASCII local part is not supported"),
                // the subject is one line (RFC 5322 2.2: no CR or LF in a field body)
                Arguments.of(with(b -> { b.subject = "a\r\nBcc: x@evil.example"; return b; }),
                        "subject: CR, LF and NUL are not allowed"),
                Arguments.of(with(b -> { b.text = null; return b; }), "text: a text or an html body is required"),
                // extra headers: RFC 5322 3.6.8 names, none the composer writes, one-line values
                Arguments.of(with(b -> header(b, "X Bad", "v")),
                        "headers[1].name: not a header field name (RFC 5322 3.6.8)"),
                Arguments.of(with(b -> header(b, "X:Bad", "v")),
                        "headers[1].name: not a header field name (RFC 5322 3.6.8)"),
                Arguments.of(with(b -> header(b, "X-\u00e9", "v")),
                        "headers[1].name: not a header field name (RFC 5322 3.6.8)"),
                Arguments.of(with(b -> header(b, "", "v")),
                        "headers[1].name: not a header field name (RFC 5322 3.6.8)"),
                Arguments.of(with(b -> header(b, "bcc", "v")), "headers[1].name: bcc is set by the composer, not as a header"),
                Arguments.of(with(b -> header(b, "Message-ID", "<x@y>")),
                        "headers[1].name: Message-ID is set by the composer, not as a header"),
                Arguments.of(with(b -> header(b, "Content-Type", "text/plain")),
                        "headers[1].name: Content-Type is set by the composer, not as a header"),
                Arguments.of(with(b -> header(b, "MIME-Version", "1.0")),
                        "headers[1].name: MIME-Version is set by the composer, not as a header"),
                Arguments.of(with(b -> header(b, "X-Ok", "a\nX-Injected: 1")),
                        "headers[1].value: CR, LF and NUL are not allowed"),
                Arguments.of(with(b -> header(b, "X-Ok", null)), "headers[1].value: required"),
                // attachments: a name, octets, a MIME type that base64 may carry, an RFC 2392 content id
                Arguments.of(with(b -> file(b, Drafts.file(" ", "text/plain", new byte[1]))),
                        "attachments[1].name: required"),
                Arguments.of(with(b -> file(b, Drafts.file("a\tb", "text/plain", new byte[1]))),
                        "attachments[1].name: control characters in a file name"),
                Arguments.of(with(b -> file(b, Drafts.file("a", "text/plain", null))),
                        "attachments[1].content: required"),
                Arguments.of(with(b -> file(b, Drafts.file("a", "", new byte[1]))),
                        "attachments[1].content_type: required"),
                Arguments.of(with(b -> file(b, Drafts.file("a", "pdf", new byte[1]))),
                        "attachments[1].content_type: not a MIME type (RFC 2045 5.1 type/subtype): \"pdf\""),
                Arguments.of(with(b -> file(b, Drafts.file("a", "text/plain; charset", new byte[1]))),
                        "attachments[1].content_type: not a MIME parameter at \"; charset\""),
                Arguments.of(with(b -> file(b, Drafts.file("a", "text/plain\r\nX: y", new byte[1]))),
                        "attachments[1].content_type: not a MIME parameter at \"\r\nX: y\""),
                Arguments.of(with(b -> file(b, Drafts.file("a", "multipart/mixed", new byte[1]))),
                        "attachments[1].content_type: multipart/* cannot be an attachment's type"),
                Arguments.of(with(b -> file(b, Drafts.file("a", "message/rfc822", new byte[1]))),
                        "attachments[1].content_type: message/* cannot be an attachment's type"),
                Arguments.of(with(b -> file(b, Drafts.inline("a.png", "image/png", PNG, "cid:a b"))),
                        "attachments[1].content_id: not a content id (RFC 2392)"),
                Arguments.of(with(b -> file(b, Drafts.inline("a.png", "image/png", PNG, "<>"))),
                        "attachments[1].content_id: not a content id (RFC 2392)"),
                Arguments.of(with(b -> { b.attachments = List.of(Drafts.inline("a.png", "image/png", PNG, "cid:a@x"),
                        Drafts.inline("b.png", "image/png", PNG, "<a@x>")); return b; }),
                        "attachments[1].content_id: also the content id of attachments[0]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void eachFaultIsRefusedNamingItsField(Draft draft, String message) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> Drafts.composer(1).compose(draft));
        assertEquals(message, e.getMessage());
        assertEquals(message.substring(0, message.indexOf(':')), e.field());
    }
}
