package dev.petrel.smtp;

import dev.petrel.mail.Decision;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;

/**
 * What the session asks of the rest of the server, at each step of a transaction. The session knows the
 * protocol and nothing of policy or storage; the server answers these calls with both.
 */
public interface SessionHooks {

    /** May this client go on at all? Called before the greeting. */
    Decision connect(SessionInfo session);

    /** May this sender start a transaction? */
    Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize);

    /** May this recipient be added? */
    Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient);

    /**
     * As {@link #mailFrom(SessionInfo, ReversePath, long)}, with the command's ESMTP parameters as the client wrote
     * them ("SIZE=100 BODY=8BITMIME", empty for none): a milter is shown them.
     */
    default Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize, String parameters) {
        return mailFrom(session, sender, declaredSize);
    }

    /** As {@link #rcptTo(SessionInfo, ReversePath, Recipient)}, with the command's ESMTP parameters. */
    default Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient, String parameters) {
        return rcptTo(session, sender, recipient);
    }

    /**
     * Takes the whole message. The reply is 250 only once the message is on disk; it may also be 4xx or 5xx.
     *
     * @param content the message with CRLF line breaks, dot-stuffing removed
     */
    Reply deliver(SessionInfo session, Envelope envelope, byte[] content);

    /** An AUTH attempt failed; a Defer closes the session with its reply (too many failures). */
    Decision authFailed(SessionInfo session);

    /** A command or reply worth a log line: a rejection, with the stage it happened at. */
    void rejected(SessionInfo session, String stage, Reply reply);

    Authenticator authenticator();
}
