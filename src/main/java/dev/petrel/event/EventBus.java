package dev.petrel.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hands each event to every subscribed sink, in the order they subscribed. */
public final class EventBus implements EventSink {

    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();

    public void subscribe(EventSink sink) {
        sinks.add(sink);
    }

    @Override
    public void publish(MailEvent event) {
        for (EventSink sink : sinks) {
            sink.publish(event);
        }
    }
}
