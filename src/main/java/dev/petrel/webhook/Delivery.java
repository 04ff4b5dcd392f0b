package dev.petrel.webhook;

import java.time.Instant;

/**
 * One event owed to one endpoint, kept until a 2xx acknowledges it or the retry period ends.
 *
 * @param eventId the event's cursor in the feed, its {@code id} and {@code webhook-id}
 * @param body the event's JSON, as signed and sent
 * @param created when it was first owed: the retry period counts from here
 * @param attempts attempts made so far
 */
public record Delivery(String endpointId, long eventId, String body, Instant created, int attempts,
                       Instant nextAttempt) {

    /** What names a delivery. */
    public record Key(String endpointId, long eventId) {}

    public Key key() {
        return new Key(endpointId, eventId);
    }
}
