package dev.petrel.event;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change in a message's life, or an operator's or the server's act. Each change emits exactly one event, written
 * with the change itself (so a crash loses neither); the delivery log, the metrics and the webhooks all read
 * these from the {@link EventFeed}, and nothing logs on its own.
 */
public sealed interface MailEvent {

    Instant time();

    /** An event of one queued message. */
    sealed interface OfMessage extends MailEvent {
        QueueId id();

        SendContext context();
    }

    /** What came of one recipient in one attempt: delivered, deferred or bounced, and which server said so. */
    sealed interface Outcome extends OfMessage {
        String to();

        /** {@code host[ip]:port} of the server that answered, "local" for a mailbox here, "none" when none did. */
        String relay();

        Duration delay();

        /** The enhanced status code, as in a DSN. */
        String dsn();

        String reply();
    }

    /**
     * A message was accepted and is on disk.
     *
     * @param authentication results of the checks made on mail from elsewhere, by method ("spf", "dkim", "dmarc"),
     *                       in order; empty when none were made
     */
    record Queued(Instant time, QueueId id, String from, long size, int recipients, String client, String user,
                  Map<String, String> authentication, boolean held, SendContext context) implements OfMessage {

        public Queued {
            authentication = Collections.unmodifiableMap(new LinkedHashMap<>(authentication));
        }

        public Queued(Instant time, QueueId id, String from, long size, int recipients, String client, String user) {
            this(time, id, from, size, recipients, client, user, Map.of(), false, SendContext.EMPTY);
        }

        public Queued(Instant time, QueueId id, String from, long size, int recipients, String client, String user,
                      Map<String, String> authentication, boolean held) {
            this(time, id, from, size, recipients, client, user, authentication, held, SendContext.EMPTY);
        }
    }

    /** A recipient was delivered. */
    record Delivered(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply,
                   SendContext context) implements Outcome {

        public Delivered(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply) {
            this(time, id, to, relay, delay, dsn, reply, SendContext.EMPTY);
        }
    }

    /** A failed outcome, with the class the bounce classifier gave its reply. */
    sealed interface Failure extends Outcome {
        BounceClass bounceClass();
    }

    /** A delivery attempt failed for now; another follows. */
    record Deferred(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply,
                    BounceClass bounceClass, SendContext context) implements Failure {

        public Deferred(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply,
                        BounceClass bounceClass) {
            this(time, id, to, relay, delay, dsn, reply, bounceClass, SendContext.EMPTY);
        }
    }

    /** A recipient failed for good; its sender gets a delivery status notification. */
    record Bounced(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply,
                   BounceClass bounceClass, SendContext context) implements Failure {

        public Bounced(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply,
                       BounceClass bounceClass) {
            this(time, id, to, relay, delay, dsn, reply, bounceClass, SendContext.EMPTY);
        }
    }

    /** A message outlived the queue's lifetime. */
    record Expired(Instant time, QueueId id, String to, Duration delay, String dsn, SendContext context)
            implements OfMessage {

        public Expired(Instant time, QueueId id, String to, Duration delay, String dsn) {
            this(time, id, to, delay, dsn, SendContext.EMPTY);
        }
    }

    /** An operator put a message on hold. */
    record Held(Instant time, QueueId id, SendContext context) implements OfMessage {}

    /** An operator let a held message go on. */
    record Released(Instant time, QueueId id, SendContext context) implements OfMessage {}

    /** A message was removed from the queue by an operator. */
    record Removed(Instant time, QueueId id, SendContext context) implements OfMessage {

        public Removed(Instant time, QueueId id) {
            this(time, id, SendContext.EMPTY);
        }
    }

    /** The SMTP server refused something, in a session or at a policy step. */
    record Rejected(Instant time, String client, String stage, String from, String to, String reply)
            implements MailEvent {}

    /** An operator made every queued message due now ({@code petrel queue flush}). */
    record Flushed(Instant time, int messages) implements MailEvent {}
}
