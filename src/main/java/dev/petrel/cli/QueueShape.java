package dev.petrel.cli;

import dev.petrel.queue.QueuedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queue's shape, as Postfix's qshape draws it: one row per destination domain, one column per age bucket
 * (minutes, each twice the last), counting recipients still to deliver. The busiest domains come first.
 */
final class QueueShape {

    // bucket upper bounds in minutes; the last column is everything older
    private static final int[] BUCKETS = {5, 10, 20, 40, 80, 160, 320, 640, 1280};

    private QueueShape() {}

    static String render(List<QueuedMessage> messages, Instant now) {
        Map<String, int[]> rows = new TreeMap<>();
        int[] total = new int[BUCKETS.length + 2];
        for (QueuedMessage m : messages) {
            int bucket = bucket(Duration.between(m.arrival(), now));
            for (QueuedMessage.Pending p : m.pending()) {
                int[] row = rows.computeIfAbsent(p.recipient().address().domain().name(), d -> new int[BUCKETS.length + 2]);
                row[0]++;
                row[bucket + 1]++;
                total[0]++;
                total[bucket + 1]++;
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-30s %6s", "", "T"));
        for (int b : BUCKETS) {
            out.append(String.format(" %5d", b));
        }
        out.append(String.format(" %5s%n", BUCKETS[BUCKETS.length - 1] + "+"));
        line(out, "TOTAL", total);
        rows.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> line(out, e.getKey(), e.getValue()));
        return out.toString();
    }

    /** The age columns' names, for metrics: {@code 0-5m}, {@code 5-10m}, ..., {@code 1280m+}. */
    static List<String> bucketNames() {
        List<String> names = new java.util.ArrayList<>();
        int from = 0;
        for (int b : BUCKETS) {
            names.add(from + "-" + b + "m");
            from = b;
        }
        names.add(from + "m+");
        return names;
    }

    /** The column of a message this old: an index into {@link #bucketNames}. */
    static int bucket(Duration age) {
        long minutes = age.toMinutes();
        for (int i = 0; i < BUCKETS.length; i++) {
            if (minutes < BUCKETS[i]) {
                return i;
            }
        }
        return BUCKETS.length;
    }

    private static void line(StringBuilder out, String name, int[] counts) {
        out.append(String.format("%-30s %6d", name.length() > 30 ? name.substring(0, 30) : name, counts[0]));
        for (int i = 1; i < counts.length; i++) {
            out.append(String.format(" %5d", counts[i]));
        }
        out.append('\n');
    }
}
