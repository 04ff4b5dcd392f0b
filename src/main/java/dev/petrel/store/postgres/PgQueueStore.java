package dev.petrel.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.queue.Change;
import dev.petrel.queue.ClaimSource;
import dev.petrel.queue.IdTimes;
import dev.petrel.queue.QueueException;
import dev.petrel.queue.QueueRecords;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The queue in PostgreSQL, for a {@code [store] url} on PostgreSQL: messages (content stored once), their recipients
 * with their state, the event feed and its readers' cursors, in the tables of {@code V17__queue.sql}. Every change
 * and its events are one transaction; the {@link PgCommitter} groups concurrent callers' transactions into one
 * commit, and {@link #enqueue} returns only once that commit is durable (synchronous commit). The removal of a
 * delivered message is not waited for (as in the journal): it leaves what this store shows at once, and a group of
 * such writes alone commits without waiting for the disk (see {@link PgCommitter#submit}). Several processes may
 * share the tables (the command line, and several servers as nodes: see {@link #claims}): events are numbered in
 * commit order under an advisory lock, and queue ids carry a number each process takes once. A serving node owns
 * the mail it enqueues; the command line's mail is nobody's until a node claims it.
 */
public final class PgQueueStore implements QueueStore {

    private static final int POOL_SIZE = 10;
    /**
     * The newest events are kept even once every reader has read them, for {@code petrel events} (the journal keeps
     * its current segment so); older ones go once every reader of this process has read them.
     */
    static final long KEPT_EVENTS = 100_000;

    private static final String SEQUENCE_LAST =
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM queue_events_id_seq";

    /** The queue's tables, which a copy of the other stores' tables leaves to the queue's own copy. */
    public static final Set<String> TABLES = Set.of("queue_messages", "queue_recipients", "queue_events",
            "queue_cursors", "queue_nodes");

    private final HikariDataSource pool;
    private final PGSimpleDataSource source;
    private final long keptEvents;
    // this process's name as a node that delivers (its events say it, its mail is its own); null when it does not
    private volatile String nodeName;
    // a node no more: whatever its schedule still holds is some other node's to deliver
    private volatile boolean retired;
    private final IdTimes idTimes;
    private final Clock clock;
    private final PgCommitter committer;
    // the newest event committed
    private final AtomicLong lastEvent = new AtomicLong();
    // the number a feed without events yet goes on after (a copied queue's: see continueFeed)
    private volatile long feedStart;
    private final Object eventsWritten = new Object();
    // removals of delivered messages run but not yet committed: gone already to whoever asks
    private final Set<QueueId> leaving = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> readers = new ConcurrentHashMap<>();
    // this process's number among those that opened the queue in this database: the tail of its ids
    private final int nodeNumber;

    private PgQueueStore(HikariDataSource pool, PGSimpleDataSource source, Clock clock, MeterRegistry meters,
                         long keptEvents) throws IOException {
        this.pool = pool;
        this.keptEvents = keptEvents;
        this.source = source;
        this.idTimes = new IdTimes(clock);
        this.clock = clock;
        this.lastEvent.set(number("SELECT coalesce(max(id), 0) FROM queue_events"));
        this.feedStart = lastEvent.get() > 0 ? 0 : number(SEQUENCE_LAST);
        this.nodeNumber = (int) number("SELECT nextval('queue_node_numbers')");
        DistributionSummary groups = DistributionSummary.builder("petrel.queue.group.commit")
                .description("Queue writes committed together in one group commit").baseUnit("records")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(meters);
        Timer commits = Timer.builder("petrel.queue.commit")
                .description("Time one commit of the PostgreSQL queue took")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(meters);
        this.committer = new PgCommitter(pool, this::committed, (writes, nanos) -> {
            groups.record(writes);
            commits.record(Duration.ofNanos(nanos));
        });
    }

    /**
     * Opens the queue in the PostgreSQL database at {@code url} ({@code postgresql://host:port/db?user=..}), whose
     * schema {@code Stores.open} brought up to date (the first opening also seeds the local domains, so it is left
     * to it).
     */
    public static PgQueueStore open(String url, Clock clock) throws IOException {
        return open(url, clock, new CompositeMeterRegistry());
    }

    /** As {@link #open(String, Clock)}, its group commits and commit times shown in {@code meters}. */
    public static PgQueueStore open(String url, Clock clock, MeterRegistry meters) throws IOException {
        return open(url, clock, meters, KEPT_EVENTS);
    }

    /** As {@link #open(String, Clock, MeterRegistry)}, keeping the newest {@code keptEvents} (tests keep few). */
    static PgQueueStore open(String url, Clock clock, MeterRegistry meters, long keptEvents) throws IOException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL("jdbc:" + url);
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName("petrel-queue");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        // what a pooled connection writes (cursors) is durable when its commit returns, whatever the server's default
        config.setConnectionInitSql("SET synchronous_commit = on");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new QueueException("PostgreSQL queue: cannot connect: " + cause.getMessage(), e);
        }
        try {
            return new PgQueueStore(pool, source, clock, meters, keptEvents);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @FunctionalInterface
    interface Query<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /** Runs statements on a pooled connection (each its own transaction unless the query says otherwise). */
    <T> T read(Query<T> query) throws IOException {
        try (Connection c = pool.getConnection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new QueueException("PostgreSQL queue: " + e.getMessage(), e);
        }
    }

    private static <T> T await(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while writing the queue", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new QueueException("PostgreSQL queue: " + e.getCause().getMessage(), e.getCause());
        }
    }

    // the committer's report: events up to this one are committed and readable
    private void committed(long event) {
        synchronized (eventsWritten) {
            if (event > lastEvent.get()) {
                lastEvent.set(event);
            }
            eventsWritten.notifyAll();
        }
    }

    @Override
    public QueueId newId() {
        return QueueId.of(idTimes.next(), nodeNumber);
    }

    @Override
    public void enqueue(QueueId id, Instant arrival, Envelope envelope, SendContext context, byte[] head, byte[] body,
                        boolean held, MailEvent.Queued queued) throws IOException {
        byte[] description = QueueRecords.description(id, arrival, envelope, context);
        String node = nodeName;
        Integer owner = held || node == null ? null : nodeNumber;
        PgCommitter.Ticket<Boolean> ticket = committer.submit(s -> {
            insertMessage(s, id, arrival, envelope, context, head, body, held, description, owner);
            if (owner == null && !held) {
                // mail of the command line (or of a node not yet joined): a node claims it
                PgQueueRows.wake(s, "new");
            }
            PgQueueRows.events(s, queued == null ? List.of() : List.of(queued), node);
            return true;
        }, true);
        await(ticket.committed());
    }

    // the message and its recipients in one statement: one round trip
    private static void insertMessage(PgSession s, QueueId id, Instant arrival, Envelope envelope,
                                      SendContext context, byte[] head, byte[] body, boolean held, byte[] description,
                                      Integer owner) throws SQLException {
        PreparedStatement m = s.statement("WITH message AS (INSERT INTO queue_messages (id, arrival_ns, sender, tenant,"
                + " stream, held, next_attempt_ns, attempts, last_error, delay_noticed, size, description, content, owner)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, false, ?, ?, ?, ?) RETURNING id)"
                + " INSERT INTO queue_recipients (message_id, recipient_index, address, done)"
                + " SELECT message.id, r.n - 1, r.address, false FROM message,"
                + " unnest(?::text[]) WITH ORDINALITY AS r (address, n)");
        long size = (long) head.length + body.length;
        m.setString(1, id.value());
        m.setLong(2, PgQueueRows.nanos(arrival));
        m.setString(3, envelope.reversePath().isNull() ? "" : envelope.reversePath().address().toString());
        m.setString(4, context.tenant());
        m.setString(5, context.stream());
        m.setBoolean(6, held);
        m.setLong(7, PgQueueRows.nanos(arrival));
        m.setLong(8, size);
        m.setBytes(9, description);
        // head then body, streamed into one value: the content is never joined in memory here
        m.setBinaryStream(10, new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(body)),
                size);
        m.setObject(11, owner, java.sql.Types.INTEGER);
        m.setArray(12, s.texts(envelope.recipients().stream().map(r -> r.address().toString()).toList()));
        m.executeUpdate();
    }

    @Override
    public boolean apply(QueueId id, Change change) throws IOException {
        if (leaving.contains(id)) {
            return false;
        }
        boolean unforced = change.steps().stream().anyMatch(s -> s instanceof Change.Remove r && !r.durable());
        if (unforced) {
            leaving.add(id);
        }
        PgCommitter.Ticket<Boolean> ticket = committer.submit(s -> {
            if (!PgQueueRows.steps(s, id, change.steps())) {
                return false;
            }
            PgQueueRows.events(s, change.events(), nodeName);
            return true;
        }, !unforced);
        if (!unforced) {
            await(ticket.committed());
            return await(ticket.executed());
        }
        ticket.committed().whenComplete((done, failure) -> leaving.remove(id));
        try {
            return await(ticket.executed());
        } catch (IOException e) {
            leaving.remove(id);
            throw e;
        }
    }

    @Override
    public List<QueuedMessage> list() throws IOException {
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement(PgQueueRows.LIST); ResultSet r = q.executeQuery()) {
                List<QueuedMessage> out = new ArrayList<>();
                while (r.next()) {
                    QueuedMessage m = PgQueueRows.message(r);
                    if (!leaving.contains(m.id())) {
                        out.add(m);
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<QueuedMessage> find(QueueId id) throws IOException {
        return one(PgQueueRows.FIND, id, PgQueueRows::message);
    }

    @Override
    public Optional<StoredMessage> read(QueueId id) throws IOException {
        return one(PgQueueRows.READ, id, PgQueueRows::stored);
    }

    @Override
    public Optional<StoredMessage> readOwned(QueueId id) throws IOException {
        if (retired) {
            return Optional.empty();
        }
        // the node's number comes from the database's sequence, never from input
        return nodeName == null ? read(id) : one(PgQueueRows.READ + " AND m.owner = " + nodeNumber, id,
                PgQueueRows::stored);
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet row) throws SQLException, IOException;
    }

    private <T> Optional<T> one(String sql, QueueId id, Row<T> row) throws IOException {
        if (leaving.contains(id)) {
            return Optional.empty();
        }
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, id.value());
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(row.map(r)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<EventFeed.Entry> read(long after, int max) throws IOException {
        return read(c -> PgQueueRows.readEvents(c, after, max));
    }

    @Override
    public long last() {
        return Math.max(lastEvent.get(), feedStart);
    }

    @Override
    public boolean await(long cursor, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (eventsWritten) {
            while (lastEvent.get() <= cursor) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                eventsWritten.wait(Math.max(1, left / 1_000_000));
            }
        }
        return lastEvent.get() > cursor || newerInDatabase(cursor);
    }

    private long number(String sql) throws IOException {
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement(sql); ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    // events another process wrote are not announced here: a look at the table finds them
    private boolean newerInDatabase(long cursor) {
        try {
            long newest = number("SELECT coalesce(max(id), 0) FROM queue_events");
            lastEvent.accumulateAndGet(newest, Math::max);
            return newest > cursor;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void append(MailEvent event) {
        committer.submit(s -> {
            PgQueueRows.events(s, List.of(event), nodeName);
            return true;
        }, false);
    }

    @Override
    public void record(List<MailEvent> events) throws IOException {
        if (!events.isEmpty()) {
            await(committer.submit(s -> {
                PgQueueRows.events(s, events, nodeName);
                return true;
            }, true).committed());
        }
    }

    @Override
    public void record(MailEvent event) throws IOException {
        record(List.of(event));
    }

    @Override
    public long load(String reader) throws IOException {
        long cursor = read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT cursor FROM queue_cursors WHERE reader = ?")) {
                q.setString(1, reader);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            }
        });
        readers.put(reader, cursor);
        return cursor;
    }

    /**
     * Saves the cursor durably, then forgets the events every reader of this process has read, but for the newest
     * {@link #KEPT_EVENTS} (by default).
     */
    @Override
    public void save(String reader, long cursor) throws IOException {
        readers.put(reader, cursor);
        OptionalLong lowest = readers.values().stream().mapToLong(Long::longValue).min();
        read(c -> {
            try (PreparedStatement u = c.prepareStatement("INSERT INTO queue_cursors (reader, cursor) VALUES (?, ?)"
                    + " ON CONFLICT (reader) DO UPDATE SET cursor = excluded.cursor")) {
                u.setString(1, reader);
                u.setLong(2, cursor);
                u.executeUpdate();
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM queue_events WHERE id <= ?")) {
                d.setLong(1, Math.min(lowest.orElse(0), lastEvent.get() - keptEvents));
                d.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> known() {
        return Map.copyOf(readers);
    }

    /**
     * Makes this new queue's event feed number its first event {@code last + 1}: a queue copied from another store
     * goes on where that one's feed ended, so an event's number never names two events. The queue must hold no
     * message and no event yet, and never have numbered one.
     */
    public void continueFeed(long last) throws IOException {
        long messages = number("SELECT count(*) FROM queue_messages");
        long numbered = number(SEQUENCE_LAST);
        if (messages > 0 || numbered > 0) {
            throw new QueueException("the queue in PostgreSQL is not new: it holds " + messages + " message(s) and has"
                    + " numbered " + numbered + " event(s)");
        }
        if (last > 0) {
            read(c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT setval('queue_events_id_seq', ?)")) {
                    q.setLong(1, last);
                    q.executeQuery().close();
                }
                return null;
            });
        }
        feedStart = last;
    }

    /**
     * This process as node {@code name} of the queue's nodes, for a server that delivers: {@link ClaimSource#start}
     * joins (refused while another live node has the name), beats the heartbeat every {@code lease}/3, claims the
     * mail nobody delivers, and is woken by NOTIFY; {@link ClaimSource#stop} hands its mail over. What it does that
     * an operator should know goes to {@code log}.
     */
    public ClaimSource claims(String name, Duration lease, Consumer<String> log) {
        return new PgClaims(this, name, lease, clock, log);
    }

    /** The nodes that share this queue, for the listings and the commands. */
    public PgCluster cluster() {
        return new PgCluster(this);
    }

    /** The connections of the queue's database, outside the pool: the node's listener takes one. */
    PGSimpleDataSource source() {
        return source;
    }

    int nodeNumber() {
        return nodeNumber;
    }

    /**
     * This process delivers as node {@code name} (null: no more, once it left or another took its place): its
     * events name it, its new mail is its own; once no more, its new mail is nobody's and it attempts nothing.
     */
    void actAs(String name) {
        retired = name == null && (retired || nodeName != null);
        nodeName = name;
    }

    /** Writes and commits since opening: their ratio is the size of the average group. */
    public long[] commitCounts() {
        return committer.counts();
    }

    @Override
    public void close() {
        if (pool.isClosed()) {
            return;
        }
        committer.close();
        pool.close();
    }
}
