package dev.petrel.event;

import java.io.IOException;
import java.util.Map;

/**
 * Where each reader of the {@link EventFeed} keeps its position, durably. The feed keeps every event that a
 * registered reader has not read yet.
 */
public interface Cursors {

    /** The reader's saved cursor (0 for a new reader, which then reads from the oldest event kept). */
    long load(String reader) throws IOException;

    /** Saves the reader's cursor: it has handled every event up to this one. */
    void save(String reader, long cursor) throws IOException;

    /** The readers known here and their last loaded or saved cursor (what {@code /metrics} shows as feed lag). */
    default Map<String, Long> known() {
        return Map.of();
    }
}
