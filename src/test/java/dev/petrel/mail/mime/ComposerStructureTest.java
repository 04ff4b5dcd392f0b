package dev.petrel.mail.mime;

import static dev.petrel.mail.mime.Drafts.PDF;
import static dev.petrel.mail.mime.Drafts.PNG;
import static dev.petrel.mail.mime.Drafts.draft;
import static dev.petrel.mail.mime.Drafts.file;
import static dev.petrel.mail.mime.Drafts.inline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The MIME tree of each shape of draft, as Python's email package reads it, with its bodies and files. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposerStructureTest {

    private PythonEmail python;

    @BeforeAll
    void startPython() {
        python = new PythonEmail();
    }

    @AfterAll
    void stopPython() throws InterruptedException {
        python.close();
    }

    static final Attachment LOGO = inline("logo.png", "image/png", PNG, "cid:logo@shop.example");
    static final Attachment INVOICE = file("invoice.pdf", "application/pdf", PDF);

    static Stream<Arguments> shapes() {
        return Stream.of(
                // one body: no multipart at all
                Arguments.of("hi", null, List.of(), "text/plain"),
                Arguments.of(null, "<p>hi</p>", List.of(), "text/html"),
                // RFC 2046 5.1.4: the plainest alternative first
                Arguments.of("hi", "<p>hi</p>", List.of(), "multipart/alternative(text/plain,text/html)"),
                // RFC 2387: inline images beside the html that refers to them
                Arguments.of(null, "<img src=cid:logo@shop.example>", List.of(LOGO),
                        "multipart/related(text/html,image/png)"),
                Arguments.of("hi", "<img src=cid:logo@shop.example>", List.of(LOGO),
                        "multipart/alternative(text/plain,multipart/related(text/html,image/png))"),
                // RFC 2046 5.1.3: files after the message
                Arguments.of("hi", null, List.of(INVOICE), "multipart/mixed(text/plain,application/pdf)"),
                Arguments.of(null, "<p>hi</p>", List.of(INVOICE), "multipart/mixed(text/html,application/pdf)"),
                Arguments.of("hi", "<p>hi</p>", List.of(INVOICE, INVOICE),
                        "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf,application/pdf)"),
                Arguments.of("hi", "<img src=cid:logo@shop.example>", List.of(INVOICE, LOGO),
                        "multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),"
                                + "application/pdf)"),
                // without html an inline image has nothing to sit beside: it is a file like the others
                Arguments.of("hi", null, List.of(LOGO), "multipart/mixed(text/plain,image/png)"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("shapes")
    void eachShapeOfDraftGivesItsMimeTree(String text, String html, List<Attachment> files, String tree) {
        ComposedMessage message = Drafts.composer(7).compose(draft(text, html, files));
        JsonNode parsed = python.read(message.content());
        assertEquals(tree, parsed.get("structure").asText());
        assertEquals(List.of(), strings(parsed.get("defects")), "parser defects");
        assertEquals(0, parsed.get("bare_line_ends").asInt());
        assertFalse(parsed.get("eight_bit").asBoolean());
        assertTrue(parsed.get("max_line").asInt() <= 78, "longest line " + parsed.get("max_line"));
        assertEquals("1.0", parsed.get("mime_version").asText());
        assertBody(text, parsed.get("text"), parsed.get("text_charset"));
        assertBody(html, parsed.get("html"), parsed.get("html_charset"));
        assertFiles(files, parsed.get("attachments"));
    }

    private static void assertBody(String given, JsonNode read, JsonNode charset) {
        if (given == null) {
            assertTrue(read.isNull());
            return;
        }
        assertEquals(given + "\n", read.asText().replace("\r\n", "\n"));
        assertEquals("utf-8", charset.asText());
    }

    private static void assertFiles(List<Attachment> files, JsonNode read) {
        assertEquals(files.size(), read.size());
        List<Attachment> ordered = new ArrayList<>(files);
        // related parts come before the files of the mixed part
        ordered.sort((a, b) -> Boolean.compare(!a.inline(), !b.inline()));
        for (int i = 0; i < ordered.size(); i++) {
            Attachment a = ordered.get(i);
            JsonNode r = read.get(i);
            assertEquals(a.fileName(), r.get("filename").asText());
            assertEquals(a.contentType(), r.get("content_type").asText());
            assertEquals(Base64.getEncoder().encodeToString(a.content()), r.get("content").asText());
            assertEquals("base64", r.get("encoding").asText());
            if (a.inline()) {
                assertEquals("<logo@shop.example>", r.get("content_id").asText());
            }
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
