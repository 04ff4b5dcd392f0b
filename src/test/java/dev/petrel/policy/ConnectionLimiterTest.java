package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.Decision;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    private static void assertRefused(Decision decision) {
        Decision.Defer defer = assertInstanceOf(Decision.Defer.class, decision);
        assertEquals(421, defer.reply().code());
        assertEquals("4.7.0", defer.reply().status().toString());
    }

    @Test
    void oneClientGetsNoMoreThanItsShare() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(10, 2);
        InetAddress a = ip("192.0.2.1");
        assertEquals(Decision.ACCEPT, limiter.tryOpen(a));
        assertEquals(Decision.ACCEPT, limiter.tryOpen(a));
        assertRefused(limiter.tryOpen(a));
        // a refused attempt holds nothing
        assertEquals(2, limiter.open());
        // others are not affected
        assertEquals(Decision.ACCEPT, limiter.tryOpen(ip("192.0.2.2")));
        // a closed connection makes room again
        limiter.close(a);
        assertEquals(Decision.ACCEPT, limiter.tryOpen(a));
        assertRefused(limiter.tryOpen(a));
    }

    @Test
    void allClientsTogetherGetNoMoreThanTheTotal() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(3, 2);
        assertEquals(Decision.ACCEPT, limiter.tryOpen(ip("192.0.2.1")));
        assertEquals(Decision.ACCEPT, limiter.tryOpen(ip("192.0.2.2")));
        assertEquals(Decision.ACCEPT, limiter.tryOpen(ip("192.0.2.3")));
        assertRefused(limiter.tryOpen(ip("192.0.2.4")));
        assertEquals(3, limiter.open());
        limiter.close(ip("192.0.2.2"));
        assertEquals(Decision.ACCEPT, limiter.tryOpen(ip("192.0.2.4")));
    }

    @Test
    void closingEverythingReturnsToZeroAndFullShares() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 3);
        InetAddress a = ip("2001:db8::1");
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Decision.ACCEPT, limiter.tryOpen(a));
            }
            assertRefused(limiter.tryOpen(a));
            for (int i = 0; i < 3; i++) {
                limiter.close(a);
            }
            assertEquals(0, limiter.open());
        }
    }

    @Test
    void exemptClientsHaveNoPerClientLimitButCountInTheTotal() throws UnknownHostException {
        InetAddress trusted = ip("192.0.2.1");
        ConnectionLimiter limiter = new ConnectionLimiter(5, 1, trusted::equals);
        for (int i = 0; i < 5; i++) {
            assertEquals(Decision.ACCEPT, limiter.tryOpen(trusted));
        }
        assertRefused(limiter.tryOpen(trusted));
        assertRefused(limiter.tryOpen(ip("192.0.2.2")));
    }

    @Test
    void concurrentOpensFromOneClientAdmitExactlyItsShare() throws Exception {
        for (int round = 0; round < 20; round++) {
            ConnectionLimiter limiter = new ConnectionLimiter(1000, 10);
            InetAddress a = ip("192.0.2.1");
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger accepted = new AtomicInteger();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    done.add(threads.submit(() -> {
                        start.await();
                        if (limiter.tryOpen(a) instanceof Decision.Accept) {
                            accepted.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            }
            // the first ten increments come before any refusal gives one back: ten are admitted, never fewer
            assertEquals(10, accepted.get(), "round " + round);
            assertEquals(10, limiter.open());
        }
    }
}
