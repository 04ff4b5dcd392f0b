package dev.petrel.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.testing.MemoryFeed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The mailto form of List-Unsubscribe (RFC 2369) beside the one-click link, and mail to it: the field each
 * recipient gets, and the request a Subject's token makes, written as the one-click POST writes it.
 */
class UnsubscribeRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Address MAILBOX = new Address(UnsubscribeLinks.MAILBOX, Domain.parse("bounce.acme.test"));
    private static final SendContext NEWS = new SendContext("acme", "news", "tag", Map.of("k", "v"));
    private static final QueueId ID = new QueueId("1M2114b0B00RDFF");
    private static final Pattern FIELD = Pattern.compile("List-Unsubscribe: <https://u\\.test/unsubscribe/([A-Za-z0-9_-]+)>,"
            + "\r\n <mailto:unsubscribe@bounce\\.acme\\.test\\?subject=([A-Za-z0-9_-]+)>\r\n"
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(new byte[32], clock);
    private final UnsubscribeLinks links = new UnsubscribeLinks(tokens, null, null, "https://u.test", MAILBOX);
    private final MemoryFeed feed = new MemoryFeed();
    private final UnsubscribeRequests requests = new UnsubscribeRequests(links, feed, clock);

    // the events the requests wrote (the one-click POST's test checks they are written durably, with record)
    private List<MailEvent> written() {
        return feed.read(0, 100).stream().map(EventFeed.Entry::event).toList();
    }

    private UnsubscribeLinks.Link link() {
        return links.link(NEWS, Address.of("ann@r.test"), ID);
    }

    private static byte[] mail(String subject) {
        return ("From: <ann@r.test>\r\nTo: <unsubscribe@bounce.acme.test>\r\n" + subject
                + "\r\n\r\nThis message was sent by a mail client.\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static MailEvent.Unsubscribed expected() {
        return new MailEvent.Unsubscribed(NOW, ID, "ann@r.test", new SendContext("acme", "news", null, Map.of()));
    }

    @Test
    void theMailtoFormFollowsTheLinkInTheSameFieldWithTheSameTokenAsItsSubject() {
        UnsubscribeLinks.Link link = link();
        Matcher m = FIELD.matcher(link.fields());
        assertTrue(m.matches(), link.fields());
        assertEquals(m.group(1), m.group(2), "one token in both forms");
        assertEquals("https://u.test/unsubscribe/" + m.group(1), link.url());
        assertEquals("mailto:unsubscribe@bounce.acme.test?subject=" + m.group(1), link.mailto());
        // RFC 5322 2.1.1: folded between the two, each line well under 998 octets
        link.fields().lines().forEach(line -> assertTrue(line.length() < 998, line));
    }

    @Test
    void withoutABounceDomainThereIsNoMailtoForm() {
        UnsubscribeLinks plain = new UnsubscribeLinks(tokens, null, null, "https://u.test");
        UnsubscribeLinks.Link link = plain.link(NEWS, Address.of("ann@r.test"), ID);
        assertNull(link.mailto());
        assertEquals("List-Unsubscribe: <" + link.url() + ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                link.fields());
        assertEquals(Optional.empty(), plain.mailbox());
        assertFalse(new UnsubscribeRequests(plain, feed, clock).isMailbox(MAILBOX));
    }

    @Test
    void theMailboxIsTheUnsubscribeAddressOfTheBounceDomainInAnyCase() {
        assertTrue(requests.isMailbox(Address.of("unsubscribe@bounce.acme.test")));
        assertTrue(requests.isMailbox(Address.of("Unsubscribe@BOUNCE.acme.test")));
        assertFalse(requests.isMailbox(Address.of("unsubscribe@acme.test")));
        assertFalse(requests.isMailbox(Address.of("unsubscribe2@bounce.acme.test")));
    }

    @Test
    void mailWhoseSubjectIsTheTokenWritesTheEventTheOneClickPostWrites() throws Exception {
        String token = link().url().substring("https://u.test/unsubscribe/".length());
        assertTrue(requests.unsubscribeByMail(mail("Subject: " + token)).isPresent());
        // the one-click POST goes the same way
        assertTrue(requests.unsubscribe(token).isPresent());
        assertEquals(List.of(expected(), expected()), written());
    }

    @Test
    void aTokenAmongOtherWordsOrFoldedOntoItsOwnLineIsFound() throws Exception {
        String token = link().url().substring("https://u.test/unsubscribe/".length());
        // a reply's prefix, a word a person added, a client folding a long Subject (RFC 5322 2.2.3),
        // and as Python's email package writes a Subject longer than a line: two encoded words (RFC 2047)
        String half = token.substring(0, 40).replace("_", "=5F");
        List<String> subjects = List.of("Subject: Re: " + token, "Subject: unsubscribe\r\n\t" + token,
                "Subject:" + token + "  ", "Subject: =?utf-8?q?" + half + "?=\r\n =?utf-8?q?"
                        + token.substring(40).replace("_", "=5F") + "?=");
        for (String subject : subjects) {
            assertEquals("ann@r.test", requests.unsubscribeByMail(mail(subject)).orElseThrow().recipient().toString(),
                    subject);
        }
        assertEquals(java.util.Collections.nCopies(subjects.size(), expected()), written());
    }

    @Test
    void mailWithoutACurrentTokenWritesNothing() throws Exception {
        String token = link().url().substring("https://u.test/unsubscribe/".length());
        String damaged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        // tokens of another server (another secret) are forgeries here
        String foreign = new UnsubscribeTokens(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, clock).issue(
                dev.petrel.mail.TenantId.parse("acme"), "news", Address.of("ann@r.test"), ID.value());
        for (String subject : List.of("Subject: " + damaged, "Subject: " + foreign, "Subject: unsubscribe",
                "Subject:", "X-Subject: " + token)) {
            assertEquals(Optional.empty(), requests.unsubscribeByMail(mail(subject)), subject);
        }
        // a year and a day later the token has expired
        UnsubscribeLinks later = new UnsubscribeLinks(new UnsubscribeTokens(new byte[32],
                Clock.offset(clock, Duration.ofDays(367))), null, null, "https://u.test", MAILBOX);
        assertEquals(Optional.empty(), new UnsubscribeRequests(later, feed, clock)
                .unsubscribeByMail(mail("Subject: " + token)));
        assertEquals(List.of(), written());
    }
}
