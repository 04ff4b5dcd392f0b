package dev.petrel.queue;

import dev.petrel.mail.QueueId;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the journal's segments in order and rebuilds what is in the queue: recovery at start-up, and the
 * read-only view the command line uses while a server owns the queue. Reading stops at the first record that
 * is short or fails its checksum: only records written before the last completed fsync were ever
 * acknowledged, and they all come before it.
 */
final class JournalScanner {

    static final String SEGMENT_PREFIX = "journal-";
    static final String SEGMENT_SUFFIX = ".log";

    /** A live message and where its record starts. */
    record Entry(QueuedMessage message, long segment, long offset) {
        Entry withMessage(QueuedMessage m) {
            return new Entry(m, segment, offset);
        }
    }

    /**
     * The result: live messages in arrival order, the segments found, where the valid data of the last ends, the
     * number of each segment's first event (or of the next event, when it holds none), and of the last event.
     */
    record Result(Map<QueueId, Entry> entries, TreeMap<Long, Path> segments, long lastValidEnd, List<String> problems,
                  TreeMap<Long, Long> firstEvents, long lastEvent) {}

    private JournalScanner() {}

    static Path segmentPath(Path dir, long number) {
        return dir.resolve(String.format("%s%08d%s", SEGMENT_PREFIX, number, SEGMENT_SUFFIX));
    }

    static TreeMap<Long, Path> segments(Path dir) throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                String digits = name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length());
                if (digits.matches("[0-9]{1,18}")) {
                    out.put(Long.parseLong(digits), p);
                }
            }
        }
        return out;
    }

    static Result scan(Path dir) throws IOException {
        TreeMap<Long, Path> segments = segments(dir);
        Map<QueueId, Entry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long lastValidEnd = 0;
        TreeMap<Long, Long> firstEvents = new TreeMap<>();
        long[] lastEvent = {0};
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            lastValidEnd = scanSegment(segment.getKey(), segment.getValue(), entries, problems, lastEvent, firstEvents);
        }
        return new Result(entries, segments, lastValidEnd, problems, firstEvents, lastEvent[0]);
    }

    private static long scanSegment(long number, Path file, Map<QueueId, Entry> entries, List<String> problems,
                                    long[] lastEvent, TreeMap<Long, Long> firstEvents) throws IOException {
        long offset = 0;
        boolean first = true;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            while (true) {
                Record record = readRecord(in);
                if (record == null) {
                    firstEvents.putIfAbsent(number, lastEvent[0] + 1);
                    return offset;
                }
                if (record.problem != null) {
                    problems.add(file.getFileName() + " at " + offset + ": " + record.problem);
                    return offset;
                }
                if (first && record.type == RecordCodec.Type.START) {
                    lastEvent[0] = java.nio.ByteBuffer.wrap(record.payload).getLong() - 1;
                }
                if (first) {
                    firstEvents.put(number, lastEvent[0] + 1);
                    first = false;
                }
                lastEvent[0] += apply(record.type, record.payload, 0, record.payload.length, number, offset, entries);
                offset += RecordCodec.HEADER + record.payload.length;
            }
        }
    }

    private record Record(RecordCodec.Type type, byte[] payload, String problem) {}

    private static Record readRecord(DataInputStream in) throws IOException {
        byte[] header = new byte[RecordCodec.HEADER];
        int got = in.readNBytes(header, 0, header.length);
        if (got == 0) {
            return null;
        }
        if (got < header.length) {
            return new Record(null, null, "torn record header");
        }
        DataInputStream h = new DataInputStream(new ByteArrayInputStream(header));
        int magic = h.readInt();
        RecordCodec.Type type = RecordCodec.Type.of(h.readByte());
        int length = h.readInt();
        int crc = h.readInt();
        if (magic != RecordCodec.MAGIC || type == null || length < 0 || length > RecordCodec.MAX_PAYLOAD) {
            return new Record(null, null, "bad record header");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            return new Record(null, null, "torn record");
        }
        if (RecordCodec.checksum(type.code, payload, 0, length) != crc) {
            return new Record(null, null, "checksum mismatch");
        }
        return new Record(type, payload, null);
    }

    /**
     * Applies one record (the payload at {@code from} of {@code length} octets in {@code bytes}, whose frame starts
     * at {@code offset} of the segment); returns how many events it holds.
     */
    private static int apply(RecordCodec.Type type, byte[] bytes, int from, int length, long segment, long offset,
                             Map<QueueId, Entry> entries) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, from, length));
        switch (type) {
            case MESSAGE, HELD_MESSAGE -> {
                QueuedMessage message = RecordCodec.readMessage(in, type == RecordCodec.Type.HELD_MESSAGE);
                entries.put(message.id(), new Entry(message, segment, offset));
            }
            case HOLD, RELEASE -> {
                QueueId id = RecordCodec.readId(in);
                Entry e = entries.get(id);
                if (e != null) {
                    entries.put(id, new Entry(e.message().withHeld(type == RecordCodec.Type.HOLD), e.segment(), e.offset()));
                }
            }
            case DELETE -> entries.remove(RecordCodec.readId(in));
            case FINISH -> {
                QueueId id = RecordCodec.readId(in);
                Set<Integer> finished = RecordCodec.readFinished(in);
                entries.computeIfPresent(id, (k, e) -> e.withMessage(
                        e.message().withState(e.message().state().withFinished(finished))));
            }
            case NOTICED -> {
                QueueId id = RecordCodec.readId(in);
                entries.computeIfPresent(id, (k, e) -> e.withMessage(e.message().withState(e.message().state().noticed())));
            }
            case SCHEDULE -> {
                QueueId id = RecordCodec.readId(in);
                Entry e = entries.get(id);
                if (e != null) {
                    DeliveryState state = RecordCodec.readSchedule(in, e.message().state());
                    entries.put(id, e.withMessage(e.message().withState(state)));
                }
            }
            case EVENTS -> {
                return in.readInt();
            }
            case START -> { }
            case BATCH -> {
                return applyBatch(bytes, from, length, segment, offset, entries);
            }
        }
        return 0;
    }

    // the records inside a BATCH, each framed as on its own, at their own offsets in the segment
    private static int applyBatch(byte[] bytes, int from, int length, long segment, long offset,
                                  Map<QueueId, Entry> entries) throws IOException {
        int events = 0;
        for (Inner inner : inner(bytes, from, length)) {
            events += apply(inner.type, bytes, inner.payloadAt, inner.length, segment,
                    offset + RecordCodec.HEADER + (inner.payloadAt - RecordCodec.HEADER - from), entries);
        }
        return events;
    }

    private record Inner(RecordCodec.Type type, int payloadAt, int length) {}

    private static List<Inner> inner(byte[] bytes, int from, int length) throws IOException {
        List<Inner> out = new ArrayList<>();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes, from, length);
        while (b.hasRemaining()) {
            if (b.remaining() < RecordCodec.HEADER || b.getInt() != RecordCodec.MAGIC) {
                throw new IOException("damaged record inside a batch");
            }
            RecordCodec.Type type = RecordCodec.Type.of(b.get());
            int size = b.getInt();
            b.getInt();
            if (type == null || type == RecordCodec.Type.BATCH || size < 0 || size > b.remaining()) {
                throw new IOException("damaged record inside a batch");
            }
            out.add(new Inner(type, b.position(), size));
            b.position(b.position() + size);
        }
        return out;
    }

    /**
     * Reads the events of one segment whose first event is numbered {@code first}: those after {@code after} and
     * up to {@code until}, until {@code out} holds {@code max}. Returns the number of the last event it passed.
     */
    static long readEvents(Path file, long first, long after, long until, int max, List<dev.petrel.event.EventFeed.Entry> out)
            throws IOException {
        long last = first - 1;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            Record record;
            while (last < until && out.size() < max && (record = readRecord(in)) != null && record.problem == null) {
                List<Inner> parts = record.type == RecordCodec.Type.BATCH
                        ? inner(record.payload, 0, record.payload.length)
                        : List.of(new Inner(record.type, 0, record.payload.length));
                for (Inner part : parts) {
                    if (part.type != RecordCodec.Type.EVENTS) {
                        continue;
                    }
                    for (dev.petrel.event.MailEvent e : EventCodec.decode(new DataInputStream(
                            new ByteArrayInputStream(record.payload, part.payloadAt, part.length)))) {
                        last++;
                        if (last > after && last <= until && out.size() < max) {
                            out.add(new dev.petrel.event.EventFeed.Entry(last, e));
                        }
                    }
                }
            }
        }
        return last;
    }

    /** Reads one message record back, checking it again. */
    static StoredMessage readMessage(Path file, long offset, QueuedMessage known) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            return readMessage(channel, file.getFileName().toString(), offset, known);
        }
    }

    /** As {@link #readMessage(Path, long, QueuedMessage)}, from a channel open on the segment {@code name}. */
    static StoredMessage readMessage(java.nio.channels.FileChannel channel, String name, long offset,
                                     QueuedMessage known) throws IOException {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(RecordCodec.HEADER);
        readFully(channel, header, offset);
        header.flip();
        int magic = header.getInt();
        byte type = header.get();
        int length = header.getInt();
        int crc = header.getInt();
        RecordCodec.Type kind = RecordCodec.Type.of(type);
        if (magic != RecordCodec.MAGIC || kind == null || !kind.isMessage() || length < 0) {
            throw new QueueException("damaged queue record in " + name + " at " + offset);
        }
        java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocate(length);
        readFully(channel, payload, offset + RecordCodec.HEADER);
        if (RecordCodec.checksum(type, payload.array(), 0, length) != crc) {
            throw new QueueException("checksum mismatch in " + name + " at " + offset);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload.array()));
        QueuedMessage head = RecordCodec.readMessageHead(in, known.held());
        if (!head.id().equals(known.id())) {
            throw new QueueException("queue record at " + offset + " in " + name + " is " + head.id() + ", not "
                    + known.id());
        }
        byte[] content = in.readNBytes((int) head.size());
        return new StoredMessage(known, content);
    }

    private static void readFully(java.nio.channels.FileChannel channel, java.nio.ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("queue record cut short");
            }
            at += n;
        }
    }
}
