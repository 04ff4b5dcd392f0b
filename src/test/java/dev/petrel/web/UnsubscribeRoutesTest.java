package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.compliance.UnsubscribeTokens;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unsubscribe routes alone, with a feed that records what they write. */
class UnsubscribeRoutesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(new byte[32], clock);
    private final List<MailEvent> written = new ArrayList<>();
    private final Router router = new Router();

    UnsubscribeRoutesTest() {
        EventFeed feed = new EventFeed() {
            @Override
            public List<Entry> read(long after, int max) {
                return List.of();
            }

            @Override
            public long last() {
                return 0;
            }

            @Override
            public boolean await(long cursor, Duration timeout) {
                return false;
            }

            @Override
            public void append(MailEvent event) {
                throw new AssertionError("a click is written durably, with record");
            }

            @Override
            public void record(MailEvent event) {
                written.add(event);
            }
        };
        new UnsubscribeRoutes(new UnsubscribeLinks(tokens, null, null, "https://u.test"), feed, clock).addTo(router);
    }

    private Answer call(String method, String token, String body) throws Exception {
        Router.Found f = assertInstanceOf(Router.Found.class, router.match(method, "/unsubscribe/" + token));
        return f.route().handler().handle(new Exchange(method, "/unsubscribe/" + token, f.parameters(), Map.of(),
                Map.of(), InetAddress.getLoopbackAddress(), body.getBytes(StandardCharsets.US_ASCII), null, null));
    }

    private String token() {
        return tokens.issue(new TenantId("acme"), "news", Address.of("ann@r.test"), "1M2114b0B00RDFF");
    }

    @Test
    void theOneClickPostWritesTheEventOnceOnDisk() throws Exception {
        Answer a = call("POST", token(), "List-Unsubscribe=One-Click");
        assertEquals(200, a.status());
        assertEquals(List.of(new MailEvent.Unsubscribed(NOW, new QueueId("1M2114b0B00RDFF"), "ann@r.test",
                new SendContext("acme", "news", null, Map.of()))), written);
    }

    @Test
    void theGetShowsAButtonAndWritesNothing() throws Exception {
        String token = token();
        Answer a = call("GET", token, "");
        assertEquals(200, a.status());
        String page = new String(a.body(), StandardCharsets.UTF_8);
        assertTrue(page.contains("<form method=\"post\" action=\"/unsubscribe/" + token + "\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"), page);
        assertEquals(List.of(), written);
    }

    @Test
    void anotherBodyOrABadTokenWritesNothing() {
        ApiError bad = assertThrows(ApiError.class, () -> call("POST", token(), "List-Unsubscribe=Later"));
        assertEquals(400, bad.status());
        ApiError missing = assertThrows(ApiError.class, () -> call("POST", "AAAA" + token(), "List-Unsubscribe=One-Click"));
        assertEquals(404, missing.status());
        assertEquals(List.of(), written);
    }
}
