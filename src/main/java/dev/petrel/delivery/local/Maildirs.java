package dev.petrel.delivery.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes messages into Maildirs the way the Maildir specification (cr.yp.to/proto/maildir.html) says: the file is
 * written under {@code tmp/} with a name no other delivery uses, synced to disk, then renamed into {@code new/},
 * and {@code new/} is synced, so a reader never sees half a message and a message seen is on disk. Files hold
 * lines ending in LF, as Maildir readers expect; the name carries the size ({@code ,S=}) and the size with CRLF
 * line ends ({@code ,W=}), which Dovecot uses without reading the file. Mailboxes are made on first delivery,
 * readable by their owner only. Thread-safe.
 */
public final class Maildirs {

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final Clock clock;
    private final AtomicLong deliveries = new AtomicLong();
    private final Set<Path> known = ConcurrentHashMap.newKeySet();
    private final DirectorySyncs newSyncs = new DirectorySyncs();

    /** @param hostname this machine's name, the last part of every file name */
    public Maildirs(String hostname, Clock clock) {
        this.host = escapeHost(hostname);
        this.clock = clock;
    }

    /**
     * Stores {@code head} (trace headers, CRLF lines) followed by {@code content} (the message as queued, CRLF
     * lines) as a new message; returns its path under {@code new/} once it and the directory are on disk.
     */
    public Path deliver(Path maildir, byte[] head, byte[] content) throws IOException {
        create(maildir);
        byte[] file = LineEnds.toLf(head, content);
        long crlfSize = file.length + LineEnds.count(file);
        String name = uniqueName(file.length, crlfSize);
        Path tmp = maildir.resolve("tmp").resolve(name);
        Path target = maildir.resolve("new").resolve(name);
        try {
            writeSynced(tmp, file);
            // Maildir: rename into new/ only once the file is complete and on disk
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof NoSuchFileException) {
                // the mailbox was removed behind our back: make it again next time
                known.remove(maildir);
            }
            throw e;
        }
        // concurrent deliveries to one mailbox share the fsync of its new/
        newSyncs.sync(target.getParent());
        return target;
    }

    /** The octets the mailbox's messages take, as their names say (the file's size where a name does not). */
    public long usage(Path maildir) throws IOException {
        long total = 0;
        for (String sub : new String[] {"new", "cur"}) {
            Path dir = maildir.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    total += sizeOf(f);
                }
            } catch (NoSuchFileException e) {
                // gone since we looked: it holds nothing
            }
        }
        return total;
    }

    private static long sizeOf(Path file) throws IOException {
        String name = file.getFileName().toString();
        int s = name.indexOf(",S=");
        if (s > 0) {
            int end = s + 3;
            while (end < name.length() && Character.isDigit(name.charAt(end))) {
                end++;
            }
            if (end > s + 3) {
                return Long.parseLong(name.substring(s + 3, end));
            }
        }
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private void create(Path maildir) throws IOException {
        if (known.contains(maildir)) {
            return;
        }
        Path parent = maildir.getParent();
        Files.createDirectories(parent, PRIVATE_DIR);
        boolean made = false;
        for (String sub : new String[] {"", "tmp", "new", "cur"}) {
            try {
                Files.createDirectory(maildir.resolve(sub), PRIVATE_DIR);
                made = true;
            } catch (FileAlreadyExistsException e) {
                // made before, by us or by the mailbox server
            }
        }
        if (made) {
            syncDirectory(maildir);
            syncDirectory(parent);
        }
        known.add(maildir);
    }

    // time.MusecPpidQn.host: unique as long as the clock does not go back within one process, and the counter
    // makes it unique within one process anyway
    private String uniqueName(long size, long crlfSize) {
        Instant now = clock.instant();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + pid + "Q" + deliveries.incrementAndGet()
                + "." + host + ",S=" + size + ",W=" + crlfSize;
    }

    // Maildir: "/" and ":" in the host name are written \057 and \072; Dovecot also reads "," as a separator
    static String escapeHost(String hostname) {
        return hostname.replace("/", "\\057").replace(":", "\\072").replace(",", "\\054");
    }

    private static void writeSynced(Path path, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PRIVATE_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
