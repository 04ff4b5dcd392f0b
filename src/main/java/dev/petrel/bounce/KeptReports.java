package dev.petrel.bounce;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Reports that could not be read, or that name no message sent here, kept for an operator rather than lost: a
 * Maildir ({@code data_dir/feedback/unparsed}, which any Maildir reader opens), one file per report, written to
 * {@code tmp/}, synced and renamed into {@code new/}. Each is said in a log line and counted.
 */
public final class KeptReports {

    private final Path maildir;
    private final Consumer<String> log;
    private final RandomGenerator random;
    private final AtomicLong count = new AtomicLong();

    public KeptReports(Path maildir, Consumer<String> log, RandomGenerator random) {
        this.maildir = maildir;
        this.log = log;
        this.random = random;
    }

    public Path maildir() {
        return maildir;
    }

    /** How many reports were kept since the start. */
    public long count() {
        return count.get();
    }

    void keep(byte[] content, String why) throws IOException {
        Files.createDirectories(maildir.resolve("tmp"));
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("cur"));
        String name = System.currentTimeMillis() + "." + Long.toHexString(random.nextLong()) + ".petrel";
        Path tmp = maildir.resolve("tmp").resolve(name);
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
            out.write(content);
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Path kept = Files.move(tmp, maildir.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        count.incrementAndGet();
        log.accept("feedback kept reason=\"" + why + "\" file=" + kept);
    }
}
