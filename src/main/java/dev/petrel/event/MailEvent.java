package dev.petrel.event;

import dev.petrel.mail.QueueId;
import java.time.Duration;
import java.time.Instant;

/**
 * A change in a message's life. Each change emits exactly one event; the delivery log, the metrics and
 * the webhooks all read these, and nothing logs on its own.
 */
public sealed interface MailEvent {

    Instant time();

    /**
     * A message was accepted and is on disk.
     *
     * @param authentication results of the checks made on mail from elsewhere, by method ("spf", "dkim", "dmarc"),
     *                       in order; empty when none were made
     */
    record Queued(Instant time, QueueId id, String from, long size, int recipients, String client, String user,
                  java.util.Map<String, String> authentication, boolean held) implements MailEvent {

        public Queued {
            authentication = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(authentication));
        }

        public Queued(Instant time, QueueId id, String from, long size, int recipients, String client, String user) {
            this(time, id, from, size, recipients, client, user, java.util.Map.of(), false);
        }

        public Queued(Instant time, QueueId id, String from, long size, int recipients, String client, String user,
                      java.util.Map<String, String> authentication) {
            this(time, id, from, size, recipients, client, user, authentication, false);
        }
    }

    /** A recipient was delivered. */
    record Delivered(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply)
            implements MailEvent {}

    /** A delivery attempt failed for now; another follows. */
    record Deferred(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply)
            implements MailEvent {}

    /** A recipient failed for good; its sender gets a delivery status notification. */
    record Bounced(Instant time, QueueId id, String to, String relay, Duration delay, String dsn, String reply)
            implements MailEvent {}

    /** A message outlived the queue's lifetime. */
    record Expired(Instant time, QueueId id, String to, Duration delay, String dsn) implements MailEvent {}

    /** The SMTP server refused something, in a session or at a policy step. */
    record Rejected(Instant time, String client, String stage, String from, String to, String reply)
            implements MailEvent {}

    /** A message was removed from the queue by an operator. */
    record Removed(Instant time, QueueId id) implements MailEvent {}
}
