package dev.petrel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.TemporaryFailure;
import dev.petrel.smtp.Authenticator;
import dev.petrel.smtp.SessionHooks;
import dev.petrel.smtp.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalFailuresTest {

    private static final SessionInfo SESSION = new SessionInfo("192.0.2.7", "client.test", true, null, null, null, false);
    private final List<String> log = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @BeforeEach
    void freshLog() {
        LocalFailures.LOGGED.set(Instant.EPOCH);
    }

    @Test
    void aStoreThatFailsAtMailRcptOrDataIs451And430AndALogLine() {
        LocalFailures hooks = new LocalFailures(new Failing(), log::add, clock());
        ReversePath sender = ReversePath.of(Address.parse("a@client.test", false));
        Recipient rcpt = Recipient.of(Address.parse("b@example.test", false));
        Decision mail = hooks.mailFrom(SESSION, sender, 0, "");
        assertEquals("451 4.3.0 Temporary lookup failure, try again later",
                assertInstanceOf(Decision.Defer.class, mail).reply().summary());
        assertInstanceOf(Decision.Defer.class, hooks.rcptTo(SESSION, sender, rcpt, ""));
        Reply data = hooks.deliver(SESSION, null, new byte[0]);
        assertEquals(451, data.code());
        assertEquals(List.of("mail", "rcpt", "data"), rejected, "each answer is a rejected event of its stage");
        assertEquals(1, log.size(), "one line for the burst: " + log);
        assertTrue(log.getFirst().contains("PostgreSQL store: Connection refused"), log.getFirst());

        now = now.plus(Duration.ofSeconds(11));
        hooks.rcptTo(SESSION, sender, rcpt);
        assertEquals(2, log.size(), "another line ten seconds on: " + log);
    }

    @Test
    void whatTheHooksDecideIsPassedOnUntouched() {
        SessionHooks fine = new Failing() {
            @Override
            public Decision connect(SessionInfo session) {
                return Decision.ACCEPT;
            }
        };
        assertEquals(Decision.ACCEPT, new LocalFailures(fine, log::add, clock()).connect(SESSION));
        assertEquals(List.of(), log);
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    // every question meets a store that cannot be reached
    private class Failing implements SessionHooks {
        private static TemporaryFailure away() {
            return new TemporaryFailure("PostgreSQL store: Connection refused");
        }

        @Override
        public Decision connect(SessionInfo session) {
            throw away();
        }

        @Override
        public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize) {
            throw away();
        }

        @Override
        public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient) {
            throw away();
        }

        @Override
        public Reply deliver(SessionInfo session, Envelope envelope, byte[] content) {
            throw away();
        }

        @Override
        public Decision authFailed(SessionInfo session) {
            return Decision.ACCEPT;
        }

        @Override
        public void rejected(SessionInfo session, String stage, Reply reply) {
            rejected.add(stage);
        }

        @Override
        public Authenticator authenticator() {
            return null;
        }
    }
}
