import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bench/local's floor: the file system work of Maildir delivery and nothing else, the way smtp-sink is the floor
 * of bench/accept. No SMTP, no queue, no parsing: N threads write ready-made 4 KiB messages into Maildirs, each
 * one created under tmp/, written, fdatasync'ed and renamed into new/, as every careful Maildir writer (Postfix's
 * virtual(8), Dovecot, Petrel) must at least do. By default it leaves out the fsync of new/ that makes the rename
 * durable, so it does strictly less than a correct delivery, and no mail server writing Maildirs on the same file
 * system can deliver faster than it does. With {@code sync-new} it also makes each rename durable by an fsync of
 * new/, as Petrel's issue 4 requires of a delivery; the writers that rename into one new/ while an fsync of it
 * runs share the next one, as Petrel's do, so this mode too is no more than a correct delivery must do.
 *
 * <p>Usage: {@code java bench/MaildirFloor.java ROOT USERS PER_USER THREADS SIZE WARMUP_USER WARMUP [sync-new]}.
 * Writes WARMUP files to ROOT/WARMUP_USER first (untimed: the JIT compiles the loop), then PER_USER files to each
 * of ROOT/user01 .. ROOT/userNN, the users taken in turn, and prints the seconds the timed part took, the
 * microseconds of CPU it used per file and the fsyncs of new/ per file (0 without {@code sync-new}).
 * Needs Java 21 or newer; runs as a source file.
 */
public final class MaildirFloor {

    public static void main(String[] args) throws Exception {
        if (args.length < 7 || args.length > 8 || (args.length == 8 && !args[7].equals("sync-new"))) {
            System.err.println("usage: MaildirFloor ROOT USERS PER_USER THREADS SIZE WARMUP_USER WARMUP [sync-new]");
            System.exit(2);
        }
        boolean syncNew = args.length == 8;
        Path root = Path.of(args[0]);
        int users = Integer.parseInt(args[1]);
        int perUser = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        Path warmupBox = root.resolve(args[5]);
        int warmup = Integer.parseInt(args[6]);

        List<Box> boxes = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            boxes.add(new Box(root.resolve(String.format("user%02d", u)), syncNew));
        }
        Box warmupMaildir = new Box(warmupBox, syncNew);

        run(List.of(warmupMaildir), warmup, threads, size, "w");
        long cpu = cpuTicks();
        long start = System.nanoTime();
        run(boxes, users * perUser, threads, size, "m");
        double seconds = (System.nanoTime() - start) / 1e9;
        long syncs = boxes.stream().mapToLong(b -> b.syncs).sum();
        // the seconds, the microseconds of CPU (user and system) per file, and the fsyncs of new/ per file
        System.out.printf("%.3f %.0f %.2f%n", seconds, (cpuTicks() - cpu) * 1e6 / TICKS_PER_SECOND / (users * perUser),
                (double) syncs / (users * perUser));
    }

    // USER_HZ: what /proc/PID/stat counts in on Linux
    private static final int TICKS_PER_SECOND = 100;

    private static long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * One Maildir. With {@code syncNew}, {@link #renamed} returns once an fsync of new/ that began after the call
     * has ended: while one runs, the writers that arrive wait for the next, which one of them does for all.
     */
    private static final class Box {
        final Path path;
        final boolean syncNew;
        long requested;
        long completed;
        boolean syncing;
        long syncs;

        Box(Path path, boolean syncNew) throws IOException {
            this.path = path;
            this.syncNew = syncNew;
            for (String sub : new String[] {"tmp", "new", "cur"}) {
                Files.createDirectories(path.resolve(sub));
            }
        }

        void renamed() throws IOException, InterruptedException {
            if (!syncNew) {
                return;
            }
            long upTo;
            synchronized (this) {
                long ticket = ++requested;
                while (syncing) {
                    wait();
                }
                if (completed >= ticket) {
                    return;
                }
                syncing = true;
                upTo = requested;
            }
            try (FileChannel d = FileChannel.open(path.resolve("new"), StandardOpenOption.READ)) {
                d.force(true);
            } finally {
                synchronized (this) {
                    syncing = false;
                    completed = upTo;
                    syncs++;
                    notifyAll();
                }
            }
        }
    }

    // count files, spread over the boxes in turn, by `threads` threads; the tag keeps names and Message-IDs apart
    private static void run(List<Box> boxes, int count, int threads, int size, String tag) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long pid = ProcessHandle.current().pid();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        Box box = boxes.get(i % boxes.size());
                        String name = System.currentTimeMillis() / 1000 + ".P" + pid + "Q" + tag + i + ".floor";
                        write(box, name, message(tag + i, size));
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException("a writer failed", failures.get(0));
        }
    }

    private static void write(Box box, String name, byte[] bytes) throws IOException, InterruptedException {
        Path tmp = box.path.resolve("tmp").resolve(name);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
        Files.move(tmp, box.path.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        box.renamed();
    }

    // a message of about `size` octets in LF lines, with its own Message-ID (bench/local counts them)
    private static byte[] message(String id, int size) {
        StringBuilder m = new StringBuilder(size + 200);
        m.append("Message-ID: <").append(id).append(".floor@bench.test>\n");
        m.append("From: <sender@bench.test>\nSubject: floor\n\n");
        while (m.length() < size) {
            m.append("0123456789012345678901234567890123456789012345678901234567890123456789012345678\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
