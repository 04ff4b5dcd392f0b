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

    /**
     * An event of mail a sender handed over: its context says the tenant and stream (when it has them), the tag and
     * the metadata. Webhooks and {@code /v1/events} give each to its tenant by it.
     */
    sealed interface InContext extends MailEvent {
        SendContext context();
    }

    /** An event of one queued message. */
    sealed interface OfMessage extends InContext {
        QueueId id();
    }

    /** What came of one recipient in one attempt: delivered, deferred or bounced, and which server said so. */
    sealed interface Outcome extends OfMessage {
        String to();

        /**
         * {@code host[ip]:port} of the server that answered, "local" for a mailbox here, "none" when none did,
         * "dsn" or "dsn:REMOTE-MTA" when a receiver reported it later in a DSN to the message's bounce address.
         */
        String relay();

        /** Reported later by a receiver (a DSN), not an attempt made here. */
        default boolean reported() {
            return relay().equals("dsn") || relay().startsWith("dsn:");
        }

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

    /**
     * A recipient complained of a message: a receiver's feedback loop sent an ARF report (RFC 5965) back to its
     * bounce address or to a complaints address.
     *
     * @param feedbackType the report's Feedback-Type (abuse, fraud, virus, other, not-spam)
     * @param reporter the report's User-Agent or its sender, for the log
     */
    record Complained(Instant time, QueueId id, String to, String feedbackType, String reporter, SendContext context)
            implements OfMessage {}

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

    /**
     * A recipient asked to get no more mail of the stream its message came on: a one-click POST to its unsubscribe
     * link (RFC 8058), a confirmation on the page the link shows, or mail to the link's mailto form (RFC 2369). The
     * suppression writer suppresses the recipient for that tenant and stream from it.
     *
     * @param id the message whose link was used
     * @param context the tenant and stream the link names (no tag or metadata: the link does not carry them)
     */
    record Unsubscribed(Instant time, QueueId id, String to, SendContext context) implements OfMessage {}

    /**
     * The SMTP server refused something, in a session or at a policy step; or the send policy refused a recipient of
     * a tenant's mail (by SMTP or the send API) for a reason of its own.
     *
     * @param reason the policy's reason as the APIs write it ({@code no_consent}, {@code consent_expired},
     *               {@code consent_withdrawn}); null for a refusal of the SMTP server's
     * @param context the tenant and stream of the mail refused; {@link SendContext#EMPTY} when it has none
     */
    record Rejected(Instant time, String client, String stage, String from, String to, String reply, String reason,
                    SendContext context) implements InContext {

        public Rejected(Instant time, String client, String stage, String from, String to, String reply) {
            this(time, client, stage, from, to, reply, null, SendContext.EMPTY);
        }
    }

    /**
     * A recipient was refused before its message entered the queue because it is on the tenant's suppression list
     * (a hard bounce, a complaint, an unsubscribe, or added by hand); the message, when others were accepted, went
     * on without it.
     *
     * @param reason the suppression's reason as the APIs write it ({@code hard_bounce}, {@code complaint},
     *               {@code unsubscribe}, {@code manual})
     * @param reply what the client was told, as an SMTP reply ({@code 550 5.7.1 Recipient suppressed: ...})
     */
    record Suppressed(Instant time, String to, String reason, String reply, SendContext context)
            implements InContext {}

    /** An operator made every queued message due now ({@code petrel queue flush}). */
    record Flushed(Instant time, int messages) implements MailEvent {}

    /**
     * The reputation guard paused a stream: a rate over the stream's last window was over its threshold. Its mail
     * waits and the send API refuses new mail for it until someone resumes it.
     *
     * @param reason the rate: {@code hard_bounce_rate} or {@code complaint_rate}
     * @param text the counts in words ({@code 31 hard bounces of 500 recipients (6.2%) in 24h, over 5.0%})
     * @param context the tenant and stream (no tag or metadata: the pause is the stream's, not a message's)
     */
    record StreamPaused(Instant time, String reason, String text, SendContext context) implements InContext {}
}
