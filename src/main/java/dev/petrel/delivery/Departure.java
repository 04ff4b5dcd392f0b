package dev.petrel.delivery;

import dev.petrel.mail.Reply;

/** What a message's stream says of its delivery now: which {@link Departures} answer for a send context. */
public sealed interface Departure {

    /** Delivered from this egress. */
    record Send(Egress egress) implements Departure {}

    /**
     * The stream is paused: no attempt is made and nothing is written; the message waits, without expiring,
     * until the stream is resumed.
     */
    record Paused() implements Departure {}

    /** The stream is a sandbox: every recipient is reported delivered, and nothing is sent anywhere. */
    record Sandbox() implements Departure {}

    /**
     * The stream cannot be delivered as set up (its egress pool is not configured here): each recipient is
     * deferred with this reply, so mail never leaves from an egress it was not meant for.
     */
    record Stuck(Reply reply) implements Departure {}

    Departure DEFAULT = new Send(Egress.DEFAULT);
}
