package dev.petrel.queue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The embedded queue: an append-only journal of segment files under one folder. Messages and their changes
 * of state are records, each change in one record with the events that report it, which are the {@link EventFeed};
 * concurrent writers share one fsync through the {@link GroupCommitter}. One process owns the folder (a lock file
 * says which); others may read it with {@link #snapshot}. A segment goes once every message in it and before it
 * is gone and every registered feed reader has read its events.
 */
public final class JournalQueueStore implements QueueStore {

    /** Segments grow to about this size before the next one starts. */
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    /** How many of the newest events are kept in memory for readers that keep up. */
    static final int RECENT_EVENTS = 1 << 16;

    private final Path dir;
    private volatile java.nio.file.FileStore fileStore;
    private final IdTimes idTimes;
    private final RandomGenerator random;
    private final long segmentSize;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentHashMap<QueueId, JournalScanner.Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Path> segments;
    // the number of each segment's first event (or of the next, when it holds none); guarded by segments
    private final ConcurrentSkipListMap<Long, Long> firstEvents;
    private final RecentEvents recent;
    private final CursorFiles cursors;
    // live messages per segment; the oldest segments without any are deleted
    private final ConcurrentHashMap<Long, AtomicInteger> liveCounts = new ConcurrentHashMap<>();
    // one compaction at a time: deleting segments, and closing their readers
    private final Object compaction = new Object();
    private final GroupCommitter committer;
    // one read channel per segment, opened on the first read and closed when the segment goes: positional reads
    // on a shared channel, instead of opening the segment file again for every message delivered
    private final ConcurrentHashMap<Long, FileChannel> readers = new ConcurrentHashMap<>();
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private volatile long currentSegment;
    private final SegmentFiles files;
    private final JournalMeters meters;
    private FileChannel current;
    private long currentSize;
    // where the current segment's last successful fsync ended: everything before is on stable storage
    private long forcedSize;
    // records written to the current segment since its last fsync (committer thread, then close)
    private boolean unforced;
    // a write or fsync failed: the segment's tail past forcedSize is unknown until repair() cuts it off
    private boolean damaged;

    /** Opens segment files; tests give one whose channels fail as a full disk does. */
    @FunctionalInterface
    interface SegmentFiles {
        FileChannel open(Path path, StandardOpenOption... options) throws IOException;

        SegmentFiles DISK = FileChannel::open;
    }

    private JournalQueueStore(Path dir, Clock clock, RandomGenerator random, long segmentSize, FileChannel lockChannel,
                              FileLock lock, JournalScanner.Result recovered, SegmentFiles files, JournalMeters meters)
            throws IOException {
        this.dir = dir;
        this.meters = meters;
        this.files = files;
        this.idTimes = new IdTimes(clock);
        this.random = random;
        this.segmentSize = segmentSize;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.segments = new ConcurrentSkipListMap<>(recovered.segments());
        this.firstEvents = new ConcurrentSkipListMap<>(recovered.firstEvents());
        this.recent = new RecentEvents(RECENT_EVENTS, recovered.lastEvent());
        this.cursors = new CursorFiles(dir.resolve("cursors"));
        this.entries.putAll(recovered.entries());
        for (JournalScanner.Entry e : recovered.entries().values()) {
            live(e.segment()).incrementAndGet();
        }
        openCurrentSegment(recovered.lastValidEnd());
        this.committer = new GroupCommitter(new GroupCommitter.Journal() {
            @Override
            public List<GroupCommitter.Position> append(List<GroupCommitter.Write> writes, boolean force)
                    throws IOException {
                return JournalQueueStore.this.append(writes, force);
            }

            @Override
            public void sync() throws IOException {
                JournalQueueStore.this.sync();
            }
        }, (batch, forced) -> {
            meters.committed(batch);
            fsyncs.addAndGet(forced ? 1 : 0);
            records.addAndGet(batch);
        });
    }

    /**
     * Opens the queue for this process alone, recovering what a crash left: a torn record at the end is cut
     * off, everything acknowledged before it is kept.
     */
    public static JournalQueueStore open(Path dir, Clock clock, RandomGenerator random, long segmentSize)
            throws IOException {
        return open(dir, clock, random, segmentSize, SegmentFiles.DISK, JournalMeters.none());
    }

    /** As {@link #open(Path, Clock, RandomGenerator, long)}, recording group commits and fsyncs in {@code meters}. */
    public static JournalQueueStore open(Path dir, Clock clock, RandomGenerator random, long segmentSize,
                                         MeterRegistry meters) throws IOException {
        return open(dir, clock, random, segmentSize, SegmentFiles.DISK, new JournalMeters(meters));
    }

    static JournalQueueStore open(Path dir, Clock clock, RandomGenerator random, long segmentSize, SegmentFiles files)
            throws IOException {
        return open(dir, clock, random, segmentSize, files, JournalMeters.none());
    }

    private static JournalQueueStore open(Path dir, Clock clock, RandomGenerator random, long segmentSize,
                                          SegmentFiles files, JournalMeters meters) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve("queue.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // the owner is this very process (another store on the same folder): locked all the same
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new QueueLockedException(dir);
        }
        try {
            return new JournalQueueStore(dir, clock, random, segmentSize, lockChannel, lock, JournalScanner.scan(dir),
                    files, meters);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /**
     * Makes {@code dir} a new queue whose event feed numbers its first event {@code last + 1}: a queue copied from
     * another store goes on where that one's feed ended, so an event's number (its {@code webhook-id}, a cursor of
     * {@code /v1/events}) never names two events. The folder must hold no message and no event yet.
     */
    public static void continueFeed(Path dir, long last) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel lockChannel = FileChannel.open(dir.resolve("queue.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockChannel.tryLock()) {
            if (lock == null) {
                throw new QueueLockedException(dir);
            }
            JournalScanner.Result found = JournalScanner.scan(dir);
            if (!found.entries().isEmpty() || found.lastEvent() > 0) {
                throw new QueueException("the queue in " + dir + " is not new: it holds " + found.entries().size()
                        + " message(s) and " + found.lastEvent() + " event(s)");
            }
            for (Path segment : found.segments().values()) {
                Files.delete(segment);
            }
            try (FileChannel first = FileChannel.open(JournalScanner.segmentPath(dir, 1), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer start = RecordCodec.start(last + 1);
                while (start.hasRemaining()) {
                    first.write(start);
                }
                first.force(true);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    /** A read-only view of a queue that another process may own: each call reads what its files say then. */
    public static QueueView view(Path dir) {
        return new QueueView() {
            @Override
            public List<QueuedMessage> list() throws IOException {
                return snapshot(dir);
            }

            @Override
            public Optional<StoredMessage> read(QueueId id) throws IOException {
                return snapshotRead(dir, id);
            }
        };
    }

    /** The messages of a queue that another process may own, as its files say now. */
    public static List<QueuedMessage> snapshot(Path dir) throws IOException {
        return sorted(JournalScanner.scan(dir).entries().values().stream().map(JournalScanner.Entry::message).toList());
    }

    /** One message of a queue that another process may own. */
    public static Optional<StoredMessage> snapshotRead(Path dir, QueueId id) throws IOException {
        JournalScanner.Entry e = JournalScanner.scan(dir).entries().get(id);
        if (e == null) {
            return Optional.empty();
        }
        return Optional.of(JournalScanner.readMessage(JournalScanner.segmentPath(dir, e.segment()), e.offset(),
                e.message()));
    }

    private void openCurrentSegment(long validEnd) throws IOException {
        if (segments.isEmpty()) {
            startSegment(1);
            return;
        }
        currentSegment = segments.lastKey();
        current = files.open(segments.get(currentSegment), StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (current.size() > validEnd) {
            // the tail was never acknowledged: cut it off so new records follow the last good one
            current.truncate(validEnd);
            current.force(true);
        }
        currentSize = validEnd;
        forcedSize = validEnd;
        current.position(validEnd);
        if (validEnd == 0) {
            writeStart();
        }
    }

    // a segment begins with the number its first event gets, so numbers go on after older segments are gone
    private void writeStart() throws IOException {
        long first = recent.written() + 1;
        ByteBuffer start = RecordCodec.start(first);
        while (start.hasRemaining()) {
            current.write(start);
        }
        currentSize = current.position();
        unforced = true;
        firstEvents.put(currentSegment, first);
    }

    private void startSegment(long number) throws IOException {
        if (current != null && unforced) {
            // the last records of the old segment follow no fsync of their own
            current.force(false);
            unforced = false;
            forcedSize = currentSize;
            recent.allDurable();
        }
        Path path = JournalScanner.segmentPath(dir, number);
        FileChannel channel = files.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            syncDirectory();
        } catch (IOException | RuntimeException e) {
            // not started after all: the next try creates it again
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
        if (current != null) {
            current.close();
        }
        current = channel;
        currentSegment = number;
        currentSize = 0;
        forcedSize = 0;
        segments.put(number, path);
        writeStart();
    }

    private void syncDirectory() throws IOException {
        // a new file's name is durable only once its folder is synced
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    // Runs on the committer thread only.
    private List<GroupCommitter.Position> append(List<GroupCommitter.Write> batch, boolean force) throws IOException {
        if (damaged) {
            repair();
        }
        if (currentSize >= segmentSize) {
            guarded(() -> startSegment(currentSegment + 1));
        }
        List<GroupCommitter.Position> positions = new ArrayList<>(batch.size());
        long offset = currentSize;
        int messages = 0;
        List<ByteBuffer> buffers = new ArrayList<>(batch.size() * 2);
        for (GroupCommitter.Write w : batch) {
            positions.add(new GroupCommitter.Position(currentSegment, offset));
            for (ByteBuffer part : w.parts()) {
                buffers.add(part);
                offset += part.remaining();
            }
            messages += holdsMessage(w.parts()) ? 1 : 0;
        }
        long length = offset - currentSize;
        guarded(() -> write(buffers.toArray(ByteBuffer[]::new), length, force));
        currentSize = offset;
        for (GroupCommitter.Write w : batch) {
            w.events().forEach(recent::add);
        }
        if (force) {
            recent.allDurable();
        }
        // count the new messages before anyone learns they are written: once the next batch starts a new segment,
        // a delete elsewhere could otherwise find this segment empty and remove it with them
        if (messages > 0) {
            live(currentSegment).addAndGet(messages);
        }
        return positions;
    }

    private static boolean holdsMessage(ByteBuffer[] parts) {
        RecordCodec.Type type = RecordCodec.Type.of(parts[0].get(parts[0].position() + 4));
        if (type == RecordCodec.Type.BATCH) {
            // a message comes first in its batch, as the part after the batch's header
            type = RecordCodec.Type.of(parts[1].get(parts[1].position() + 4));
        }
        return type != null && type.isMessage();
    }

    // Runs on the committer thread only: unsynced records are synced when no batch came to do it.
    private void sync() throws IOException {
        if (unforced && !damaged) {
            guarded(() -> {
                force();
                unforced = false;
                forcedSize = currentSize;
            });
            recent.allDurable();
        }
    }

    // fdatasync of the current segment, timed
    private void force() throws IOException {
        long start = System.nanoTime();
        current.force(false);
        meters.synced(System.nanoTime() - start);
    }

    private interface JournalStep {
        void run() throws IOException;
    }

    /**
     * Runs a step that writes or forces the current segment. When it fails, part of a batch may be on disk (a full
     * disk takes what fits): nothing more is acknowledged until the segment ends at its last good record again, or
     * later records would follow torn ones, where recovery stops reading.
     */
    private void guarded(JournalStep step) throws IOException {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            damaged = true;
            repairQuietly(e);
            throw e;
        }
    }

    private void write(ByteBuffer[] buffers, long length, boolean force) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            remaining -= current.write(buffers);
        }
        if (force) {
            // fdatasync: the data and the file's new length, not its times; earlier unforced records too
            force();
            unforced = false;
            forcedSize = current.position();
        } else {
            unforced = true;
        }
    }

    /**
     * Cuts the current segment back to where its last fsync ended, and writes on from there. Records written
     * since without an fsync of their own (removals of delivered messages) go too: after a failed fsync their
     * bytes may never reach the disk (Linux may drop the dirty pages and report the error only once), and a
     * crash would lose them anyway; their messages are delivered again, never lost.
     */
    private void repair() throws IOException {
        current.truncate(forcedSize);
        current.position(forcedSize);
        current.force(true);
        currentSize = forcedSize;
        unforced = false;
        recent.dropUndurable();
        if (currentSize == 0) {
            writeStart();
            current.force(true);
            forcedSize = currentSize;
            unforced = false;
        }
        damaged = false;
    }

    private void repairQuietly(Exception failure) {
        try {
            repair();
        } catch (IOException | RuntimeException again) {
            // still failing (the disk may be gone): the next append tries again before it writes anything
            failure.addSuppressed(again);
        }
    }

    private GroupCommitter.Position commit(ByteBuffer[] record, List<MailEvent> events) throws IOException {
        try {
            return committer.submit(record, events).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while writing the queue", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new QueueException("queue write failed", e.getCause());
        }
    }

    @Override
    public long usableSpace() throws IOException {
        // finding the file system reads the mount table: once; asking it for space is a statvfs, a few microseconds
        java.nio.file.FileStore store = fileStore;
        if (store == null) {
            store = Files.getFileStore(dir);
            fileStore = store;
        }
        return store.getUsableSpace();
    }

    @Override
    public QueueId newId() {
        return QueueId.generate(idTimes.next(), random);
    }

    @Override
    public void enqueue(QueueId id, Instant arrival, Envelope envelope, SendContext context, byte[] head, byte[] body,
                        boolean held, MailEvent.Queued queued) throws IOException {
        ByteBuffer message = RecordCodec.messageRecord(id, arrival, envelope, context, head, body, held);
        List<MailEvent> events = queued == null ? List.of() : List.of(queued);
        // with its event, the message is the first record of a batch: its own frame starts after the batch's header
        ByteBuffer[] record = events.isEmpty() ? new ByteBuffer[] {message}
                : RecordCodec.batch(List.of(message, eventsFrame(events)));
        GroupCommitter.Position at = commit(record, events);
        long offset = at.offset() + (events.isEmpty() ? 0 : RecordCodec.HEADER);
        entries.put(id, new JournalScanner.Entry(new QueuedMessage(id, arrival, envelope, head.length + body.length, held,
                context), at.segment(), offset));
    }

    private static ByteBuffer eventsFrame(List<MailEvent> events) {
        return RecordCodec.frame(RecordCodec.Type.EVENTS, EventCodec.encode(events));
    }

    @Override
    public List<QueuedMessage> list() {
        return sorted(entries.values().stream().map(JournalScanner.Entry::message).toList());
    }

    private static List<QueuedMessage> sorted(List<QueuedMessage> messages) {
        List<QueuedMessage> out = new ArrayList<>(messages);
        out.sort(Comparator.comparing(QueuedMessage::arrival).thenComparing(QueuedMessage::id));
        return out;
    }

    @Override
    public Optional<StoredMessage> read(QueueId id) throws IOException {
        JournalScanner.Entry e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        Path file = segments.get(e.segment());
        if (file == null) {
            // deleted with its segment since we looked
            return Optional.empty();
        }
        return Optional.of(JournalScanner.readMessage(reader(e.segment(), file), file.getFileName().toString(),
                e.offset(), e.message()));
    }

    @Override
    public Optional<QueuedMessage> find(QueueId id) {
        JournalScanner.Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.message());
    }

    private FileChannel reader(long segment, Path file) throws IOException {
        while (true) {
            FileChannel open = readers.get(segment);
            if (open != null) {
                if (open.isOpen()) {
                    return open;
                }
                readers.remove(segment, open);
                continue;
            }
            // fails (NoSuchFileException) once the segment is deleted
            FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ);
            if (readers.putIfAbsent(segment, fresh) == null) {
                if (!segments.containsKey(segment)) {
                    // deleted while we opened it: keep no channel for it (this read still works on it)
                    readers.remove(segment, fresh);
                }
                return fresh;
            }
            fresh.close();
        }
    }

    @Override
    public boolean apply(QueueId id, Change change) throws IOException {
        if (!entries.containsKey(id)) {
            return false;
        }
        List<ByteBuffer> frames = new ArrayList<>(change.steps().size() + 1);
        for (Change.Step step : change.steps()) {
            frames.add(frame(id, step));
        }
        if (!change.events().isEmpty()) {
            frames.add(eventsFrame(change.events()));
        }
        ByteBuffer[] record = frames.size() == 1 ? new ByteBuffer[] {frames.getFirst()} : RecordCodec.batch(frames);
        if (change.unforced()) {
            committer.submitUnforced(record, change.events());
        } else {
            commit(record, change.events());
        }
        boolean found = true;
        for (Change.Step step : change.steps()) {
            found &= applyInMemory(id, step);
        }
        return found;
    }

    private static ByteBuffer frame(QueueId id, Change.Step step) {
        return switch (step) {
            case Change.Finish f -> RecordCodec.frame(RecordCodec.Type.FINISH, RecordCodec.finish(id, f.recipients()));
            case Change.Schedule s -> RecordCodec.frame(RecordCodec.Type.SCHEDULE,
                    RecordCodec.schedule(id, s.next(), s.attempts(), s.lastError()));
            case Change.Noticed n -> RecordCodec.frame(RecordCodec.Type.NOTICED, RecordCodec.state(id));
            case Change.Hold h -> RecordCodec.frame(RecordCodec.Type.HOLD, RecordCodec.state(id));
            case Change.Release r -> RecordCodec.frame(RecordCodec.Type.RELEASE, RecordCodec.state(id));
            case Change.Remove r -> RecordCodec.frame(RecordCodec.Type.DELETE, RecordCodec.state(id));
        };
    }

    private boolean applyInMemory(QueueId id, Change.Step step) throws IOException {
        return switch (step) {
            case Change.Finish f -> entries.computeIfPresent(id, (k, v) -> v.withMessage(
                    v.message().withState(v.message().state().withFinished(f.recipients())))) != null;
            case Change.Schedule s -> entries.computeIfPresent(id, (k, v) -> v.withMessage(
                    v.message().withState(v.message().state().scheduled(s.next(), s.attempts(), s.lastError())))) != null;
            case Change.Noticed n -> entries.computeIfPresent(id, (k, v) -> v.withMessage(
                    v.message().withState(v.message().state().noticed()))) != null;
            case Change.Hold h -> entries.computeIfPresent(id, (k, v) -> v.withMessage(v.message().withHeld(true))) != null;
            case Change.Release r -> entries.computeIfPresent(id, (k, v) -> v.withMessage(v.message().withHeld(false)))
                    != null;
            case Change.Remove r -> forget(id);
        };
    }

    // after its DELETE record is queued: the message leaves the index, and its segment may be freed
    private boolean forget(QueueId id) throws IOException {
        JournalScanner.Entry removed = entries.remove(id);
        if (removed != null) {
            released(removed.segment());
        }
        return removed != null;
    }

    // the live messages of a segment: read without a lock, changed by the committer and by removals
    private AtomicInteger live(long segment) {
        AtomicInteger count = liveCounts.get(segment);
        return count != null ? count : liveCounts.computeIfAbsent(segment, s -> new AtomicInteger());
    }

    private void released(long segment) throws IOException {
        int left = live(segment).decrementAndGet();
        Map.Entry<Long, Path> oldest = segments.firstEntry();
        // only the oldest segment can go now; when it does, the empty ones after it go with it
        if (left <= 0 && oldest != null && oldest.getKey() == segment) {
            compact();
        }
    }

    // A segment's records may be forgotten once it and every older segment hold no live message (the records of
    // later segments only ever refer to messages of earlier ones) and every registered reader has read its events.
    private void compact() throws IOException {
        long read = cursors.lowest().orElse(Long.MAX_VALUE);
        List<Long> deletable = new ArrayList<>();
        synchronized (compaction) {
            for (long number : segments.keySet()) {
                Map.Entry<Long, Long> next = firstEvents.higherEntry(number);
                if (number == currentSegment || live(number).get() > 0 || next == null
                        || next.getValue() - 1 > read) {
                    break;
                }
                deletable.add(number);
            }
            for (long number : deletable) {
                FileChannel reader = readers.remove(number);
                if (reader != null) {
                    reader.close();
                }
                Path file = segments.remove(number);
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                liveCounts.remove(number);
                firstEvents.remove(number);
            }
        }
    }

    @Override
    public List<EventFeed.Entry> read(long after, int max) throws IOException {
        List<EventFeed.Entry> inMemory = recent.read(after, max);
        return inMemory != null ? inMemory : readFromDisk(after, max, recent.durable());
    }

    // a reader that fell behind what memory holds reads the segments, from the one holding the next event
    private List<EventFeed.Entry> readFromDisk(long after, int max, long until) throws IOException {
        TreeMap<Long, Long> firsts = new TreeMap<>(firstEvents);
        TreeMap<Long, Path> files = new TreeMap<>(segments);
        long from = firsts.firstKey();
        for (Map.Entry<Long, Long> e : firsts.entrySet()) {
            if (e.getValue() <= after + 1) {
                from = e.getKey();
            }
        }
        List<EventFeed.Entry> out = new ArrayList<>();
        for (Map.Entry<Long, Path> segment : files.tailMap(from, true).entrySet()) {
            if (out.size() >= max) {
                break;
            }
            try {
                JournalScanner.readEvents(segment.getValue(), firsts.get(segment.getKey()), after, until, max, out);
            } catch (NoSuchFileException e) {
                // compacted meanwhile: its events were read by everyone
            }
        }
        return out;
    }

    @Override
    public long last() {
        return recent.durable();
    }

    @Override
    public boolean await(long cursor, Duration timeout) throws InterruptedException {
        // a cursor from before the oldest event kept waits as one at it: a copied queue's feed begins after the
        // source's last event, and a reader still at 0 would otherwise be told of events it cannot read, at once
        Map.Entry<Long, Long> oldest = firstEvents.firstEntry();
        return recent.await(oldest == null ? cursor : Math.max(cursor, oldest.getValue() - 1), timeout);
    }

    @Override
    public void record(List<MailEvent> events) throws IOException {
        if (!events.isEmpty()) {
            commit(new ByteBuffer[] {eventsFrame(events)}, events);
        }
    }

    @Override
    public void append(MailEvent event) {
        try {
            committer.submitUnforced(new ByteBuffer[] {eventsFrame(List.of(event))}, List.of(event));
        } catch (QueueException e) {
            // closed: the server is stopping, and so is whatever would read it
        }
    }

    @Override
    public void record(MailEvent event) throws IOException {
        record(List.of(event));
    }

    @Override
    public long load(String reader) throws IOException {
        return cursors.load(reader);
    }

    @Override
    public void save(String reader, long cursor) throws IOException {
        cursors.save(reader, cursor);
        compact();
    }

    @Override
    public Map<String, Long> known() {
        return cursors.known();
    }

    /** Records written and fsyncs done since opening: their ratio is the size of the average commit group. */
    public long[] commitCounts() {
        return new long[] {records.get(), fsyncs.get()};
    }

    @Override
    public void close() throws IOException {
        if (!lockChannel.isOpen()) {
            return;
        }
        committer.close();
        if (damaged) {
            repair();
        } else if (unforced) {
            current.force(false);
        }
        current.close();
        for (FileChannel reader : readers.values()) {
            reader.close();
        }
        readers.clear();
        lock.release();
        lockChannel.close();
    }
}
