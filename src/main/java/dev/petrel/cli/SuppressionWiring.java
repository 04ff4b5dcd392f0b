package dev.petrel.cli;

import dev.petrel.compliance.ReputationGuard;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.compliance.SuppressionWriter;
import dev.petrel.config.Config;
import dev.petrel.compliance.Suppressions;
import dev.petrel.event.EventFeed;
import dev.petrel.event.EventSink;
import dev.petrel.event.FeedReader;
import dev.petrel.event.SoleConsumer;
import dev.petrel.event.SoleConsumers;
import dev.petrel.policy.SuppressionCheck;
import dev.petrel.store.CachedSuppressions;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Tenancy;
import dev.petrel.web.Admission;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The suppression lists of a running server: the writer that adds hard bounces, complaints and unsubscribes from
 * the event feed (by its own cursor), and the check SMTP and the send API ask before a message is queued. The
 * writer, the check and the APIs share one {@link CachedSuppressions}, so that a tenant without entries costs no
 * query per message and an entry written here holds at once. Beside them the reputation guard, which reads the
 * same events (by a cursor of its own) to pause a stream whose hard bounces or complaints are too many
 * ({@code [reputation]}). Both run on one node at a time. Closed before the queue, so the readers' last cursor saves
 * reach the feed.
 */
final class SuppressionWiring implements AutoCloseable {

    // the writer's entries are on disk as each is written; its cursor is saved about this often
    private static final Duration SAVE_EVERY = Duration.ofSeconds(1);

    private final SuppressionList list;
    private final SuppressionCheck check;
    private final SoleConsumer<FeedReader> writer;
    private final SoleConsumer<FeedReader> guard;

    private SuppressionWiring(SuppressionList list, SuppressionCheck check, SoleConsumer<FeedReader> writer,
                              SoleConsumer<FeedReader> guard) {
        this.list = list;
        this.check = check;
        this.writer = writer;
        this.guard = guard;
    }

    /**
     * @param consumers runs the writer and the guard on one node at a time
     * @param events where refusals are written ({@code message.suppressed}): the event feed
     */
    static SuppressionWiring start(Stores stores, Tenancy tenancy, EventFeed feed, SoleConsumers consumers,
                                   EventSink events, Clock clock, Config.Reputation reputation) throws IOException {
        Suppressions cached = new CachedSuppressions(stores.suppressions());
        SuppressionList list = new SuppressionList(cached, tenancy, clock);
        SoleConsumer<FeedReader> writer = consumers.reader(SuppressionWriter.CURSOR, feed,
                new SuppressionWriter(cached, tenancy), SAVE_EVERY);
        SoleConsumer<FeedReader> guard = null;
        try {
            if (reputation.enabled()) {
                guard = consumers.reader(ReputationGuard.CURSOR, feed, new ReputationGuard(
                        stores.reputationCounts(), tenancy, events, thresholds(reputation), clock), SAVE_EVERY);
            }
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        return new SuppressionWiring(list, new SuppressionCheck(list, tenancy, events, clock), writer, guard);
    }

    static ReputationGuard.Thresholds thresholds(Config.Reputation r) {
        return new ReputationGuard.Thresholds(r.window(), r.minVolume(), r.hardBounceRate(), r.complaintRate());
    }

    /** The suppression lists on these stores, as the command line uses them (read from the store each time). */
    static SuppressionList list(Stores stores, Tenancy tenancy, Clock clock) {
        return new SuppressionList(stores.suppressions(), tenancy, clock);
    }

    SuppressionList list() {
        return list;
    }

    SuppressionCheck check() {
        return check;
    }

    /** The send API's suppression step. */
    Admission admission() {
        return Admission.suppressing(check);
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            if (guard != null) {
                guard.close();
            }
        }
    }
}
