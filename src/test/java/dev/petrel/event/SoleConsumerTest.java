package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A consumer runs while its lock is held: started when taken, abandoned (no save) when lost, closed with a save. */
class SoleConsumerTest {

    /** Locks the test gives and takes by hand. */
    private static final class HandLocks implements ConsumerLocks {
        final Map<String, Holder> watched = new HashMap<>();
        final List<String> released = new ArrayList<>();

        @Override
        public void watch(String name, Holder holder) {
            watched.put(name, holder);
        }

        @Override
        public void release(String name) {
            released.add(name);
        }
    }

    /** A consumer that records how it stopped. */
    private static final class Recorded implements FeedConsumer {
        final List<String> log;

        Recorded(List<String> log, Cursors cursors) {
            this.log = log;
            log.add("started");
        }

        @Override
        public void close() {
            log.add("closed");
        }

        @Override
        public void abandon() {
            log.add("abandoned");
        }
    }

    private static final Cursors NONE = new Cursors() {
        @Override
        public long load(String reader) {
            return 0;
        }

        @Override
        public void save(String reader, long cursor) {}
    };

    @Test
    void runsOnlyWhileItsLockIsHeld() throws Exception {
        HandLocks locks = new HandLocks();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SoleConsumers consumers = new SoleConsumers(locks, registry);
        List<String> log = new ArrayList<>();
        SoleConsumer<Recorded> consumer = consumers.start("webhooks", cursors -> new Recorded(log, cursors));
        assertFalse(consumer.active(), "not before the lock is taken");
        assertEquals(List.of(), consumers.active());
        assertEquals(0, registry.get("petrel.feed.consumer.active").tag("consumer", "webhooks").gauge().value());
        locks.watched.get("webhooks").taken(NONE);
        assertTrue(consumer.active());
        assertEquals(List.of("webhooks"), consumers.active());
        assertEquals(1, registry.get("petrel.feed.consumer.active").tag("consumer", "webhooks").gauge().value());
        locks.watched.get("webhooks").lost();
        assertFalse(consumer.active());
        assertEquals(List.of("started", "abandoned"), log, "lost: stopped at once, without the closing save");
        locks.watched.get("webhooks").taken(NONE);
        consumer.close();
        assertEquals(List.of("started", "abandoned", "started", "closed"), log);
        assertEquals(List.of("webhooks"), locks.released, "the lock given back once the consumer stopped");
        locks.watched.get("webhooks").taken(NONE);
        assertFalse(consumer.active(), "closed: never started again");
    }

    @Test
    void heldLocksStartEveryConsumerAtOnce() throws Exception {
        List<String> log = new ArrayList<>();
        SoleConsumer<Recorded> consumer = SoleConsumer.start("log", ConsumerLocks.held(NONE),
                cursors -> new Recorded(log, cursors));
        assertTrue(consumer.active(), "the embedded store: one process owns the data");
        consumer.close();
        assertEquals(List.of("started", "closed"), log);
    }
}
