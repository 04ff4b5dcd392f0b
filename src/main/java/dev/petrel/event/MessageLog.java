package dev.petrel.event;

import dev.petrel.mail.QueueId;
import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What became of the messages sent for tenants, kept from their events after they leave the queue, for a while:
 * {@code GET /v1/messages/{id}} reads it. A reader of the feed ({@link MessageLogWriter}) writes it a batch of events
 * at a time; writing an event twice changes nothing. Reads take the tenant, and another tenant's message is not
 * there, as a missing one is not.
 */
public interface MessageLog {

    /**
     * A message as logged.
     *
     * @param recipients how many recipients it was queued for
     * @param states the recipients that had an outcome, each with its last one
     */
    record Message(QueueId id, TenantId tenant, String sender, String stream, String tag,
                   Map<String, String> metadata, int recipients, boolean removed, Instant queuedAt,
                   List<RecipientState> states) {
        public Message {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            states = List.copyOf(states);
        }
    }

    /**
     * A recipient's last outcome.
     *
     * @param state {@code deferred}, {@code delivered}, {@code bounced} or {@code expired}
     * @param status the enhanced status code, or null
     * @param reply the reply that said so, or null
     */
    record RecipientState(String address, String state, String status, String reply, Instant updated) {}

    /**
     * Writes what the events say of logged messages in one write, which may reach the disk only at the next
     * {@link #durable}: a message queued for a tenant, its recipients' outcomes, its removal. Events of messages not
     * logged (no tenant) change nothing.
     */
    void record(List<MailEvent> events);

    /** Puts every earlier write on disk, marking the feed's cursor up to which it is. */
    void durable(long cursor);

    /** The tenant's message of this id. */
    Optional<Message> message(TenantId tenant, QueueId id);

    /** Forgets every tenant's messages queued before {@code before}; how many. */
    int forget(Instant before);
}
