import dev.petrel.event.MailEvent;
import dev.petrel.mail.*;
import dev.petrel.queue.*;
import dev.petrel.store.Stores;
import dev.petrel.store.postgres.PgQueueStore;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;

/**
 * bench/queue-cost's measurement: the queue's part of relaying one message (enqueue 2 KiB with its Queued event, read it
 * back, record it delivered with its event and remove it), by SENDERS threads, on the journal or on PostgreSQL; prints
 * the rate, Petrel's and PostgreSQL's CPU time per message and the writes per commit (or fsync).
 *
 * <p>Usage: java -cp CLASSPATH QueueCost.java journal|pg SENDERS MESSAGES_EACH [POSTGRESQL_URL POSTMASTER_PID]
 */
public class QueueCost {
    static long pgCpuTicks(int postmaster) throws Exception {
        long sum = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    int pid = Integer.parseInt(d.getFileName().toString());
                    int ppid = Integer.parseInt(f[1]);
                    if (pid == postmaster || ppid == postmaster) {
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (Exception e) { }
            }
        }
        return sum;
    }

    public static void main(String[] a) throws Exception {
        String kind = a[0]; int threads = Integer.parseInt(a[1]); int each = Integer.parseInt(a[2]);
        int postmaster = a.length > 4 ? Integer.parseInt(a[4]) : -1;
        Path dir = Files.createTempDirectory("queue-cost-");
        QueueStore q;
        if (kind.equals("pg")) {
            String url = a[3];
            Stores.open(url, dir, List.of(), l -> {}).close();
            q = PgQueueStore.open(url, Clock.systemUTC());
        } else {
            q = JournalQueueStore.open(dir, Clock.systemUTC(), new Random(), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
        }
        byte[] body = ("Subject: bench\r\n\r\n" + "x".repeat(2000) + "\r\n").getBytes();
        Envelope env = new Envelope(ReversePath.of(Address.of("a@example.com")), List.of(Recipient.of(Address.of("b@example.org"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "127.0.0.1", "h");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // warm-up
        run(q, env, body, 4, 50);
        long cpu0 = os.getProcessCpuTime(); long pg0 = pgCpuTicks(postmaster); long t0 = System.nanoTime();
        long[] c0 = counts(q);
        run(q, env, body, threads, each);
        long wall = System.nanoTime() - t0; long cpu = os.getProcessCpuTime() - cpu0; long pg = pgCpuTicks(postmaster) - pg0;
        long[] c1 = counts(q);
        int n = threads * each;
        System.out.printf("%s threads=%d messages=%d: %.0f msg/s, petrel cpu %.0f us/msg, postgres cpu %.0f us/msg, writes/commit %.1f%n",
                kind, threads, n, n / (wall / 1e9), cpu / 1e3 / n, pg * 10_000.0 / n,
                (double) (c1[0] - c0[0]) / Math.max(1, c1[1] - c0[1]));
        q.close();
    }

    static long[] counts(QueueStore q) {
        return q instanceof PgQueueStore p ? p.commitCounts() : ((JournalQueueStore) q).commitCounts();
    }

    static void run(QueueStore q, Envelope env, byte[] body, int threads, int each) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        QueueId id = q.newId();
                        Instant now = Instant.now();
                        q.enqueue(id, now, env, SendContext.EMPTY, "Received: x\r\n".getBytes(), body, false,
                                new MailEvent.Queued(now, id, "a@example.com", body.length, 1, "127.0.0.1", null));
                        q.read(id).orElseThrow();
                        q.apply(id, new Change(List.of(new Change.Finish(Set.of(0)), new Change.Remove(false)),
                                List.of(new MailEvent.Delivered(now, id, "b@example.org", "mx", Duration.ZERO, "2.0.0", "250 ok"))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
    }
}
