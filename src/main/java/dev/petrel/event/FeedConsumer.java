package dev.petrel.event;

import java.io.IOException;

/**
 * A consumer of the {@link EventFeed} as it runs by its saved cursor ({@link FeedReader}, the webhook dispatcher):
 * closed, it stops and saves its cursor; abandoned, it stops at once and saves nothing (its lock was lost, and the
 * process that took it over goes on from the cursor saved last).
 */
public interface FeedConsumer extends AutoCloseable {

    @Override
    void close() throws IOException;

    /** Stops at once, saving nothing. */
    void abandon();
}
