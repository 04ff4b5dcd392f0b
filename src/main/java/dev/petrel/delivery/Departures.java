package dev.petrel.delivery;

import dev.petrel.mail.SendContext;

/**
 * Looks up what a message's stream says of its delivery (egress, paused, sandbox). The answer may be a few
 * seconds old, never more than {@code [delivery] stream_refresh}: the running server notices a change made by
 * the command line, the API or another node without a restart.
 */
@FunctionalInterface
public interface Departures {

    /** Every message from the default egress, none paused: mail without tenants. */
    Departures DEFAULT = context -> Departure.DEFAULT;

    Departure of(SendContext context);
}
