package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.TenantId;
import dev.petrel.mail.mime.Draft;
import dev.petrel.mail.mime.ExtraHeader;
import dev.petrel.mail.mime.InvalidMessageException;
import dev.petrel.mail.mime.Mailbox;
import dev.petrel.tenant.ApiKey;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Postmark's request JSON read into the send operation's order: names, types, and what is refused how. */
class PostmarkRequestsTest {

    private static final ApiKey KEY = new ApiKey("k1", new TenantId("acme"), null, Instant.EPOCH);

    private static Sending.Order order(String json) {
        return PostmarkRequests.order(PostmarkRequests.email(json.getBytes(StandardCharsets.UTF_8)), KEY,
                InetAddress.getLoopbackAddress());
    }

    private static Draft draft(Sending.Order order) {
        return assertInstanceOf(Sending.Content.Composed.class, order.content()).draft();
    }

    private static List<String> addresses(List<Mailbox> list) {
        return list.stream().map(m -> m.displayName() + "<" + m.address() + ">").toList();
    }

    @Test
    void everyPostmarkFieldReachesTheDraftAndTheOrder() {
        Sending.Order o = order("""
                {"From": "Ann Example <ann@acme.test>", "To": "Bob <bob@remote.test>, carol@remote.test",
                 "Cc": "\\"Doe, Dan\\" <dan@remote.test>", "Bcc": "eve@remote.test", "ReplyTo": "help@acme.test",
                 "Subject": "Receipt", "HtmlBody": "<p>Hi</p>", "TextBody": "Hi",
                 "Headers": [{"Name": "X-Order", "Value": "42"}],
                 "Attachments": [{"Name": "a.txt", "Content": "aGVsbG8=", "ContentType": "text/plain",
                                  "ContentID": "cid:a.txt"}],
                 "Tag": "receipt", "Metadata": {"order": "42"}, "MessageStream": "receipts",
                 "TrackOpens": true, "TrackLinks": "HtmlAndText"}
                """);
        Draft d = draft(o);
        assertEquals("Ann Example<ann@acme.test>", addresses(List.of(d.from())).getFirst());
        assertEquals(List.of("Bob<bob@remote.test>", "<carol@remote.test>"), addresses(d.to()));
        assertEquals(List.of("Doe, Dan<dan@remote.test>"), addresses(d.cc()));
        assertEquals(List.of("<eve@remote.test>"), addresses(d.bcc()));
        assertEquals(List.of("<help@acme.test>"), addresses(d.replyTo()));
        assertEquals("Receipt", d.subject());
        assertEquals("Hi", d.text());
        assertEquals("<p>Hi</p>", d.html());
        assertEquals(List.of(new ExtraHeader("X-Order", "42")), d.headers());
        assertEquals("a.txt", d.attachments().getFirst().fileName());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), d.attachments().getFirst().content());
        assertEquals("cid:a.txt", d.attachments().getFirst().contentId());
        assertEquals("receipt", o.tag());
        assertEquals(Map.of("order", "42"), o.metadata());
        assertEquals(Optional.of("receipts"), o.stream());
        assertEquals(KEY, o.key());
    }

    @ParameterizedTest(name = "MessageStream {0}")
    @CsvSource(value = {"'\"outbound\"', ''", "null, ''", "'\"\"', ''", "'\"news\"', news"}, emptyValue = "")
    void postmarksDefaultStreamNamesNoStreamOfPetrels(String value, String expected) {
        Sending.Order o = order("{\"From\": \"a@acme.test\", \"To\": \"b@remote.test\", \"TextBody\": \"x\","
                + " \"MessageStream\": " + value + "}");
        assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected), o.stream());
    }

    @Test
    void unknownFieldsAreIgnoredAndNamesMatchWithoutRegardToCase() {
        Draft d = draft(order("""
                {"from": "a@acme.test", "TO": "b@remote.test", "textBody": "x", "InlineCss": true,
                 "Attachments": [{"Name": "a.txt", "Content": "eA==", "ContentType": "text/plain",
                                  "ContentLength": 1, "Disposition": "attachment", "contentid": null}]}
                """));
        assertEquals(List.of("<b@remote.test>"), addresses(d.to()));
        assertEquals("x", d.text());
        assertEquals(null, d.attachments().getFirst().contentId());
    }

    // each is JSON, of the wrong shape: Postmark's "incompatible JSON", saying where
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"To\": [\"b@remote.test\"]}                 | at To",
        "{\"Subject\": 5}                              | at Subject",
        "{\"Headers\": {\"X-A\": \"1\"}}               | at Headers",
        "{\"Metadata\": {\"n\": 1}}                    | at Metadata.n",
        "{\"Attachments\": [{\"Content\": true}]}      | at Attachments[0].Content",
        "[]                                            | the request must be a JSON object (one message)",
    })
    void aValueOfTheWrongTypeIsIncompatibleJson(String json, String says) {
        ApiError e = assertThrows(ApiError.class, () -> PostmarkRequests.email(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(422, e.status());
        assertEquals(PostmarkRequests.INCOMPATIBLE, e.code());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void aDocumentThatIsNotJsonIsInvalidJsonAndSaysWhere() {
        ApiError e = assertThrows(ApiError.class, () -> PostmarkRequests.email(
                "{\"From\": \"a@acme.test\",\n \"To\": }".getBytes(StandardCharsets.UTF_8)));
        assertEquals("invalid_json", e.code());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertEquals("invalid_json", assertThrows(ApiError.class, () -> PostmarkRequests.email(new byte[0])).code());
    }

    @Test
    void aBatchIsAnArrayOfMessagesAndAnObjectIsNone() {
        assertEquals(2, PostmarkRequests.batch("[{\"From\": \"a@acme.test\"}, {}]".getBytes(StandardCharsets.UTF_8))
                .size());
        ApiError e = assertThrows(ApiError.class, () -> PostmarkRequests.batch(
                "{\"From\": \"a@acme.test\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(PostmarkRequests.INCOMPATIBLE, e.code());
    }

    // unlike Petrel's own API, one recipient that is no address refuses the message, named by Postmark's field
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"From\": \"not an address\", \"To\": \"b@remote.test\"  | From: ",
        "\"From\": \"a@acme.test\", \"To\": \"b@remote.test, nobody\" | To: ",
        "\"From\": \"a@acme.test\", \"Cc\": \"<broken\"             | Cc: ",
        "\"From\": \"a@acme.test\", \"To\": \"b@remote.test\", \"Attachments\": [{\"Name\": \"a\", \"Content\": \"!!\"}]"
                + " | Attachments[0].Content: not base64",
    })
    void anAddressOrFileInErrorRefusesTheMessageNamingPostmarksField(String fields, String start) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> order("{" + fields + "}"));
        assertTrue(PostmarkRequests.inPostmarkWords(e.getMessage()).startsWith(start), e.getMessage());
    }

    // the composer names fields as Petrel's API does; Postmark's client sees its own names
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "attachments[1].content_id: not a content id (RFC 2392) | Attachments[1].ContentID: not a content id (RFC 2392)",
        "text: a text or an html body is required               | TextBody: a text or an html body is required",
        "reply_to[0]: control characters in a display name      | ReplyTo[0]: control characters in a display name",
        "headers[2].name: Date is set by the composer, not as a header | Headers[2].Name: Date is set by the composer, not as a header",
        "To: expected \",\"                                     | To: expected \",\"",
        "the message is 5 octets: more than allowed             | the message is 5 octets: more than allowed",
    })
    void theComposersFieldNamesBecomePostmarks(String refusal, String expected) {
        assertEquals(expected, PostmarkRequests.inPostmarkWords(refusal));
    }
}
