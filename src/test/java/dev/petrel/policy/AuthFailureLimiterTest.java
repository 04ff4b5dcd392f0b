package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.Decision;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import dev.petrel.testing.HandClock;
import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {

    private final HandClock clock = new HandClock();
    private final AuthFailureLimiter limiter = new AuthFailureLimiter(3, Duration.ofMinutes(10), clock);

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    private static void assertBlocked(Decision decision) {
        Decision.Defer defer = assertInstanceOf(Decision.Defer.class, decision);
        assertEquals(421, defer.reply().code());
        assertEquals("4.7.0", defer.reply().status().toString());
    }

    @Test
    void theFailureThatReachesTheLimitBlocksTheClient() throws UnknownHostException {
        InetAddress a = ip("192.0.2.1");
        assertEquals(Decision.ACCEPT, limiter.check(a));
        assertEquals(Decision.ACCEPT, limiter.failed(a));
        assertEquals(Decision.ACCEPT, limiter.failed(a));
        assertEquals(Decision.ACCEPT, limiter.check(a));
        assertBlocked(limiter.failed(a));
        assertBlocked(limiter.check(a));
        // another address is not blocked
        assertEquals(Decision.ACCEPT, limiter.check(ip("192.0.2.2")));
    }

    @Test
    void theBlockEndsWhenTheWindowHasPassed() throws UnknownHostException {
        InetAddress a = ip("2001:db8::1");
        for (int i = 0; i < 3; i++) {
            limiter.failed(a);
        }
        clock.advance(Duration.ofMinutes(10));
        // a failure exactly one window old still counts
        assertBlocked(limiter.check(a));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Decision.ACCEPT, limiter.check(a));
        // and counting starts again from nothing
        assertEquals(Decision.ACCEPT, limiter.failed(a));
        assertEquals(Decision.ACCEPT, limiter.check(a));
    }

    @Test
    void theWindowSlides() throws UnknownHostException {
        InetAddress a = ip("192.0.2.1");
        limiter.failed(a);
        clock.advance(Duration.ofMinutes(6));
        limiter.failed(a);
        clock.advance(Duration.ofMinutes(3));
        assertBlocked(limiter.failed(a));
        // 10m01s after the first failure it has left the window; the other two remain
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals(Decision.ACCEPT, limiter.check(a));
        assertBlocked(limiter.failed(a));
        // once the second and third have left too, one failure is not enough
        clock.advance(Duration.ofMinutes(9));
        assertEquals(Decision.ACCEPT, limiter.check(a));
    }

    @Test
    void failuresOfOneClientDoNotCountForAnother() throws UnknownHostException {
        for (int i = 0; i < 10; i++) {
            limiter.failed(ip("192.0.2." + (i + 1)));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(Decision.ACCEPT, limiter.check(ip("192.0.2." + (i + 1))));
        }
    }
}
