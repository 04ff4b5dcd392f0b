package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.smtp.Authenticator;
import dev.petrel.smtp.SessionHooks;
import dev.petrel.smtp.SessionInfo;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code sendmail -bs}: an SMTP session of a local program, which may send anywhere as any local program may
 * with {@code sendmail}; each message goes into the queue as {@code sendmail}'s do (through the running server
 * when there is one).
 */
final class LocalSmtpHooks implements SessionHooks {

    private static final Authenticator NONE = new Authenticator() {
        @Override
        public Optional<String> verifyPassword(String username, String password) {
            return Optional.empty();
        }

        @Override
        public Optional<ScramCredential> scramCredential(String username) {
            return Optional.empty();
        }
    };

    private final Config config;

    LocalSmtpHooks(Config config) {
        this.config = config;
    }

    @Override
    public Decision connect(SessionInfo session) {
        return Decision.ACCEPT;
    }

    @Override
    public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize) {
        return Decision.ACCEPT;
    }

    @Override
    public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient) {
        return Decision.ACCEPT;
    }

    @Override
    public Reply deliver(SessionInfo session, Envelope envelope, byte[] content) {
        String answer;
        try {
            answer = QueueAccess.perform(config, new ControlRequest.Enqueue(
                    ControlRequest.localEnvelope(envelope.reversePath(), envelope.recipients()), content));
        } catch (IOException e) {
            return Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Not queued: " + e.getMessage());
        }
        String text = answer.replaceFirst("^(OK|ERR) ?", "");
        if (answer.startsWith("OK")) {
            return Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, text.replaceFirst("^250 [0-9.]+ ", ""));
        }
        return Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Not queued: " + text);
    }

    @Override
    public Decision authFailed(SessionInfo session) {
        return Decision.ACCEPT;
    }

    @Override
    public void rejected(SessionInfo session, String stage, Reply reply) {
        // the program sees the reply; nothing to log for a local session
    }

    @Override
    public Authenticator authenticator() {
        return NONE;
    }
}
