package dev.petrel.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queue's shape, as Postfix's qshape draws it: one row per destination domain, one column per age bucket
 * (minutes, each twice the last), counting recipients still to deliver. The busiest domains come first. The
 * command line prints it as text, the admin API as JSON, the dashboard as a table.
 *
 * @param buckets the buckets' upper bounds in minutes; the last column counts everything older
 */
public record QueueShape(List<Integer> buckets, Row total, List<Row> rows) {

    /** The buckets' upper bounds in minutes. */
    public static final List<Integer> BUCKETS = List.of(5, 10, 20, 40, 80, 160, 320, 640, 1280);

    /** One domain's pending recipients: all of them, and per age bucket ({@code BUCKETS.size() + 1} counts). */
    public record Row(String domain, int total, List<Integer> counts) {
        public Row {
            counts = List.copyOf(counts);
        }
    }

    public QueueShape {
        buckets = List.copyOf(buckets);
        rows = List.copyOf(rows);
    }

    public static QueueShape of(List<QueuedMessage> messages, Instant now) {
        Map<String, int[]> rows = new TreeMap<>();
        int[] total = new int[BUCKETS.size() + 1];
        for (QueuedMessage m : messages) {
            int bucket = bucket(Duration.between(m.arrival(), now));
            for (QueuedMessage.Pending p : m.pending()) {
                rows.computeIfAbsent(p.recipient().address().domain().name(), d -> new int[BUCKETS.size() + 1])[bucket]++;
                total[bucket]++;
            }
        }
        List<Row> out = new ArrayList<>();
        rows.forEach((domain, counts) -> out.add(row(domain, counts)));
        out.sort((a, b) -> Integer.compare(b.total(), a.total()));
        return new QueueShape(BUCKETS, row("TOTAL", total), out);
    }

    /** The age columns' names, for metrics: {@code 0-5m}, {@code 5-10m}, ..., {@code 1280m+}. */
    public static List<String> bucketNames() {
        List<String> names = new ArrayList<>();
        int from = 0;
        for (int b : BUCKETS) {
            names.add(from + "-" + b + "m");
            from = b;
        }
        names.add(from + "m+");
        return names;
    }

    /** The index of the age bucket a message of this age falls in (of {@link #bucketNames}). */
    public static int bucket(Duration age) {
        long minutes = age.toMinutes();
        for (int i = 0; i < BUCKETS.size(); i++) {
            if (minutes < BUCKETS.get(i)) {
                return i;
            }
        }
        return BUCKETS.size();
    }

    private static Row row(String domain, int[] counts) {
        return new Row(domain, Arrays.stream(counts).sum(), Arrays.stream(counts).boxed().toList());
    }

    /** The table as qshape prints it. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-30s %6s", "", "T"));
        for (int b : buckets) {
            out.append(String.format(" %5d", b));
        }
        out.append(String.format(" %5s%n", buckets.getLast() + "+"));
        line(out, total);
        rows.forEach(r -> line(out, r));
        return out.toString();
    }

    private static void line(StringBuilder out, Row row) {
        String name = row.domain();
        out.append(String.format("%-30s %6d", name.length() > 30 ? name.substring(0, 30) : name, row.total()));
        for (int count : row.counts()) {
            out.append(String.format(" %5d", count));
        }
        out.append('\n');
    }
}
