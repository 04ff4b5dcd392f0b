package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.ClaimSource;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.NodeStatus;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueView;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import dev.petrel.store.Stores;
import dev.petrel.store.postgres.PgQueueStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Chooses the queue the configuration names: the embedded journal under {@code data_dir/queue}, or, when
 * {@code [store] url} is on PostgreSQL, the queue in that database beside every other store (DESIGN.md, Stores).
 * Everything else sees only {@code QueueStore} and {@code QueueView}.
 */
final class Queues {

    private Queues() {}

    /** True when the queue is in PostgreSQL, shared with whatever else opens it (no process owns it). */
    static boolean shared(Config config) {
        return !config.storeUrl().equals(Stores.EMBEDDED);
    }

    /**
     * The queue: the journal is owned by this process until closed (a running server holds it otherwise); the
     * PostgreSQL queue is shared.
     */
    static QueueStore open(Config config, Clock clock, RandomGenerator random) throws IOException {
        if (shared(config)) {
            return openShared(config, clock);
        }
        return JournalQueueStore.open(config.queueDir(), clock, random, JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * The queue, held by this process alone: the journal by its lock; the PostgreSQL queue only while no live node
     * delivers from it (see {@code PgQueueStore.requireNoNodes}); fails while a server runs on it.
     */
    static QueueStore openAlone(Config config, Clock clock, RandomGenerator random) throws IOException {
        if (!shared(config)) {
            return open(config, clock, random);
        }
        return alone(openShared(config, clock));
    }

    private static PgQueueStore alone(PgQueueStore queue) throws IOException {
        try {
            queue.cluster().requireNoNodes();
        } catch (IOException e) {
            queue.close();
            throw e;
        }
        return queue;
    }

    /**
     * As {@link #open(Config, Clock, RandomGenerator)} for a server, which opened the stores already (so the schema is
     * up to date); its group commits (and the journal's fsyncs, PostgreSQL's commits) shown in {@code meters}. On
     * PostgreSQL the server is one node of several (see {@link #claims}).
     */
    static QueueStore open(Config config, Clock clock, RandomGenerator random, MeterRegistry meters)
            throws IOException {
        if (shared(config)) {
            return PgQueueStore.open(config.storeUrl(), clock, meters);
        }
        return JournalQueueStore.open(config.queueDir(), clock, random, JournalQueueStore.DEFAULT_SEGMENT_SIZE, meters);
    }

    /**
     * Where the server's delivery gets its mail: every message of the journal; on PostgreSQL, what this node owns and
     * claims as {@code [cluster] node}.
     */
    static ClaimSource claims(Config config, QueueStore queue, Consumer<String> log) {
        if (queue instanceof PgQueueStore shared) {
            return shared.claims(config.cluster().node(), config.cluster().lease(), log);
        }
        return ClaimSource.everything(queue);
    }

    /** The nodes that deliver from the queue; none for the journal. */
    static NodeStatus.Source nodes(QueueStore queue) {
        return queue instanceof PgQueueStore shared ? shared.cluster() : NodeStatus.Source.NONE;
    }

    // the stores first: their opening brings the schema up to date (and seeds a new one's local domains)
    private static PgQueueStore openShared(Config config, Clock clock) throws IOException {
        Petrel.stores(config).close();
        return PgQueueStore.open(config.storeUrl(), clock);
    }

    /**
     * Makes the configuration's queue new, its event feed going on after {@code last}, for a copy of another
     * store's queue (see {@link dev.petrel.queue.QueueCopy}).
     */
    static void prepareCopy(Config config, long last) throws IOException {
        if (shared(config)) {
            try (PgQueueStore queue = openShared(config, Clock.systemUTC())) {
                queue.continueFeed(last);
            }
            return;
        }
        JournalQueueStore.continueFeed(config.queueDir(), last);
    }

    /**
     * The node that delivers each message, on a queue nodes share (for {@code petrel queue list} and {@code show});
     * empty for the journal, which the one server delivers.
     */
    static Map<QueueId, String> owners(Config config) throws IOException {
        if (!shared(config)) {
            return Map.of();
        }
        try (PgQueueStore queue = openShared(config, Clock.systemUTC())) {
            return queue.cluster().owners();
        }
    }

    /** What the queue holds, for reading, also while a server owns it. */
    static QueueView view(Config config) {
        if (!shared(config)) {
            return JournalQueueStore.view(config.queueDir());
        }
        return new QueueView() {
            @Override
            public List<QueuedMessage> list() throws IOException {
                try (QueueStore queue = openShared(config, Clock.systemUTC())) {
                    return queue.list();
                }
            }

            @Override
            public Optional<StoredMessage> read(QueueId id) throws IOException {
                try (QueueStore queue = openShared(config, Clock.systemUTC())) {
                    return queue.read(id);
                }
            }
        };
    }

    /**
     * True when the queue is shared and a server of this configuration answers on its control socket: then the
     * command line acts through it, so its scheduler hears of a flush or a release.
     */
    static boolean servedHere(Config config) {
        if (!shared(config)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(config.controlSocket()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
