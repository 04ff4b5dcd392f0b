package dev.petrel.mail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who sent a message and how they labelled it: the tenant and stream it goes out on, a tag and metadata the
 * sender chose (DESIGN.md, Events). Every event of the message carries it. Empty until the send API sets it.
 *
 * @param tenant the tenant's name, or null
 * @param stream the stream's name, or null
 * @param tag the sender's tag, or null
 * @param metadata the sender's key-value pairs, in their order
 */
public record SendContext(String tenant, String stream, String tag, Map<String, String> metadata) {

    public static final SendContext EMPTY = new SendContext(null, null, null, Map.of());

    public SendContext {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public boolean isEmpty() {
        return tenant == null && stream == null && tag == null && metadata.isEmpty();
    }
}
