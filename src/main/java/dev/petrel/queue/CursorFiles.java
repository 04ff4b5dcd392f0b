package dev.petrel.queue;

import dev.petrel.event.Cursors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each feed reader's cursor in a small file of its own ({@code cursors/NAME}), replaced atomically: written to a
 * temporary file, synced, renamed. Readers seen in this process are registered, so the journal keeps what they
 * have not read.
 */
final class CursorFiles implements Cursors {

    private final Path dir;
    private final Map<String, Long> registered = new ConcurrentHashMap<>();

    CursorFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public long load(String reader) throws IOException {
        check(reader);
        long cursor;
        try {
            cursor = Long.parseLong(Files.readString(dir.resolve(reader), StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            cursor = 0;
        } catch (NumberFormatException e) {
            throw new IOException("damaged cursor file " + dir.resolve(reader), e);
        }
        registered.put(reader, cursor);
        return cursor;
    }

    @Override
    public void save(String reader, long cursor) throws IOException {
        check(reader);
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + reader + ".tmp");
        Files.writeString(temp, cursor + "\n", StandardCharsets.US_ASCII);
        try (FileChannel c = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            c.force(false);
        }
        Files.move(temp, dir.resolve(reader), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        registered.put(reader, cursor);
    }

    @Override
    public Map<String, Long> known() {
        return Map.copyOf(registered);
    }

    /** The lowest cursor of the readers registered in this process, or empty when there are none. */
    OptionalLong lowest() {
        return registered.values().stream().mapToLong(Long::longValue).min();
    }

    private static void check(String reader) {
        if (!reader.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("bad feed reader name: " + reader);
        }
    }
}
