package dev.petrel.cli;

import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.ConsentWriter;
import dev.petrel.event.EventFeed;
import dev.petrel.event.EventSink;
import dev.petrel.event.FeedReader;
import dev.petrel.event.SoleConsumer;
import dev.petrel.event.SoleConsumers;
import dev.petrel.policy.ConsentCheck;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Tenancy;
import dev.petrel.web.Admission;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The CASL consent ledger of a running server: the writer that turns unsubscribes on the event feed into
 * withdrawals (by its own cursor, on one node at a time), the check SMTP and the send API ask for broadcast mail, and the ledger intake
 * tells of each broadcast copy queued. Closed before the queue, so the writer's last cursor save reaches the feed.
 */
final class ConsentWiring implements AutoCloseable {

    // each withdrawal is on disk as it is written; the writer's cursor is saved about this often
    private static final Duration SAVE_EVERY = Duration.ofSeconds(1);

    private final ConsentLedger ledger;
    private final ConsentCheck check;
    private final SoleConsumer<FeedReader> writer;

    private ConsentWiring(ConsentLedger ledger, ConsentCheck check, SoleConsumer<FeedReader> writer) {
        this.ledger = ledger;
        this.check = check;
        this.writer = writer;
    }

    /**
     * @param consumers runs the writer on one node at a time
     * @param events where refusals are written ({@code message.rejected}): the event feed
     */
    static ConsentWiring start(Stores stores, Tenancy tenancy, EventFeed feed, SoleConsumers consumers,
                               EventSink events, Clock clock) throws IOException {
        ConsentLedger ledger = ledger(stores, clock);
        SoleConsumer<FeedReader> writer = consumers.reader(ConsentWriter.CURSOR, feed,
                new ConsentWriter(ledger, stores.tenants()), SAVE_EVERY);
        return new ConsentWiring(ledger, new ConsentCheck(ledger, tenancy, events, clock), writer);
    }

    /** The consent ledger on these stores, as the command line and the APIs use it. */
    static ConsentLedger ledger(Stores stores, Clock clock) {
        return new ConsentLedger(stores.consents(), stores.streams(), clock,
                line -> System.err.println("petrel: " + line));
    }

    ConsentLedger ledger() {
        return ledger;
    }

    ConsentCheck check() {
        return check;
    }

    /** The send API's consent step. */
    Admission admission() {
        return Admission.consenting(check);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
