package dev.petrel.server;

import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Reply;
import dev.petrel.smtp.Authenticator;
import dev.petrel.smtp.SessionHooks;
import dev.petrel.smtp.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What an SMTP client hears when a part its answer needs fails (a store that cannot be reached, a fault): 451 4.3.0,
 * as Postfix answers a failed table lookup, so that the client tries again later and nothing is lost, instead of a
 * connection cut without a word. The cause goes to the server's log, at most once in ten seconds, however many
 * sessions meet it.
 */
final class LocalFailures implements SessionHooks {

    static final Reply TEMPORARY = Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT,
            "Temporary lookup failure, try again later");
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);
    /** When the last line was written, shared by every session of a server. */
    static final AtomicReference<Instant> LOGGED = new AtomicReference<>(Instant.EPOCH);

    private final SessionHooks hooks;
    private final Consumer<String> log;
    private final Clock clock;

    LocalFailures(SessionHooks hooks, Consumer<String> log, Clock clock) {
        this.hooks = hooks;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Decision connect(SessionInfo session) {
        return guarded(session, "connect", () -> hooks.connect(session));
    }

    @Override
    public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize) {
        return guarded(session, "mail", () -> hooks.mailFrom(session, sender, declaredSize));
    }

    @Override
    public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize, String parameters) {
        return guarded(session, "mail", () -> hooks.mailFrom(session, sender, declaredSize, parameters));
    }

    @Override
    public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient) {
        return guarded(session, "rcpt", () -> hooks.rcptTo(session, sender, recipient));
    }

    @Override
    public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient, String parameters) {
        return guarded(session, "rcpt", () -> hooks.rcptTo(session, sender, recipient, parameters));
    }

    @Override
    public Reply deliver(SessionInfo session, Envelope envelope, byte[] content) {
        try {
            return hooks.deliver(session, envelope, content);
        } catch (RuntimeException e) {
            return failed(session, "data", e);
        }
    }

    @Override
    public Decision authFailed(SessionInfo session) {
        return hooks.authFailed(session);
    }

    @Override
    public void rejected(SessionInfo session, String stage, Reply reply) {
        hooks.rejected(session, stage, reply);
    }

    @Override
    public Authenticator authenticator() {
        return hooks.authenticator();
    }

    private Decision guarded(SessionInfo session, String stage, Supplier<Decision> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return new Decision.Defer(failed(session, stage, e));
        }
    }

    private Reply failed(SessionInfo session, String stage, RuntimeException e) {
        Instant now = clock.instant();
        Instant last = LOGGED.get();
        if (!now.isBefore(last.plus(LOG_EVERY)) && LOGGED.compareAndSet(last, now)) {
            log.accept("petrel: smtp " + stage + " from " + session.clientAddress() + " answered " + TEMPORARY.summary()
                    + ": " + e);
        }
        hooks.rejected(session, stage, TEMPORARY);
        return TEMPORARY;
    }
}
