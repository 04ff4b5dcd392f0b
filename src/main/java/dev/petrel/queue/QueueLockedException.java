package dev.petrel.queue;

import java.nio.file.Path;

/** Another process (a running server) owns the queue; changes must go through it. */
public final class QueueLockedException extends QueueException {

    public QueueLockedException(Path dir) {
        super("the queue in " + dir + " is in use by another process");
    }
}
