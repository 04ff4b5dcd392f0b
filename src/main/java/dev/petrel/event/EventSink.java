package dev.petrel.event;

/** Receives every {@link MailEvent}. Implementations must be thread-safe and must not block for long. */
@FunctionalInterface
public interface EventSink {

    void publish(MailEvent event);

    EventSink NONE = event -> { };
}
