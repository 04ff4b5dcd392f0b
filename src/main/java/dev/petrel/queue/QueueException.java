package dev.petrel.queue;

import java.io.IOException;

/** The queue cannot do what was asked: it is locked by another process, or its files are damaged. */
public class QueueException extends IOException {

    public QueueException(String message) {
        super(message);
    }

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
