package dev.petrel.smtp;

import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import java.util.ArrayList;
import java.util.List;

/**
 * Session hooks for tests: accepts everyone except recipients whose local part starts with "unknown" (550) or
 * "later" (450), keeps what is delivered, and records what the session reports.
 */
final class RecordingHooks implements SessionHooks {

    record Delivery(SessionInfo session, Envelope envelope, byte[] content) {}

    record Rejection(String stage, Reply reply) {}

    final FakeAuthenticator authenticator = new FakeAuthenticator().with("alice@example.com", "secret");
    final List<Delivery> deliveries = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();
    final List<Long> declaredSizes = new ArrayList<>();
    Decision onConnect = Decision.ACCEPT;
    Decision onMail = Decision.ACCEPT;
    Decision onAuthFailure = Decision.ACCEPT;
    Reply onDeliver = Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok: queued");
    int authFailures;

    @Override
    public Decision connect(SessionInfo session) {
        return onConnect;
    }

    @Override
    public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize) {
        declaredSizes.add(declaredSize);
        return onMail;
    }

    @Override
    public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient) {
        String local = recipient.address().localPart();
        if (local.startsWith("unknown")) {
            return Decision.reject(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "No such user");
        }
        if (local.startsWith("later")) {
            return Decision.defer(450, new EnhancedStatus(4, 2, 0), "Try again later");
        }
        return Decision.ACCEPT;
    }

    @Override
    public Reply deliver(SessionInfo session, Envelope envelope, byte[] content) {
        deliveries.add(new Delivery(session, envelope, content));
        return onDeliver;
    }

    @Override
    public Decision authFailed(SessionInfo session) {
        authFailures++;
        return onAuthFailure;
    }

    @Override
    public void rejected(SessionInfo session, String stage, Reply reply) {
        rejections.add(new Rejection(stage, reply));
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }
}
