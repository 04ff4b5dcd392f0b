package dev.petrel.webhook;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The event types an endpoint may ask for (DESIGN.md's list and the queue's own), and their parsing. */
public final class EventTypes {

    /** Every type the feed gives or will give, as in the events' JSON {@code type}. */
    public static final List<String> KNOWN = List.of("message.queued", "message.delivered", "message.deferred",
            "message.bounced", "message.expired", "message.suppressed", "message.rejected", "message.complained",
            "message.unsubscribed", "message.held", "message.released", "message.removed", "queue.flushed",
            "stream.paused");

    private EventTypes() {}

    /**
     * The types of a {@code --events} list ("message.delivered,message.bounced"); empty for every type.
     *
     * @throws IllegalArgumentException naming the type that is not known
     */
    public static Set<String> parse(List<String> types) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : types) {
            String type = t.strip();
            if (type.isEmpty() || type.equals("*")) {
                continue;
            }
            if (!KNOWN.contains(type)) {
                throw new IllegalArgumentException("unknown event type " + type + "; known: " + String.join(", ", KNOWN));
            }
            out.add(type);
        }
        return out;
    }
}
