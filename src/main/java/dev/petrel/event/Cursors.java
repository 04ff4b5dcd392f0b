package dev.petrel.event;

import java.io.IOException;

/**
 * Where each reader of the {@link EventFeed} keeps its position, durably. The feed keeps every event that a
 * registered reader has not read yet.
 */
public interface Cursors {

    /** The reader's saved cursor (0 for a new reader, which then reads from the oldest event kept). */
    long load(String reader) throws IOException;

    /** Saves the reader's cursor: it has handled every event up to this one. */
    void save(String reader, long cursor) throws IOException;
}
