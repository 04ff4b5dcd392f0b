package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.queue.QueueStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What a running server tells {@code petrel status} over its control socket, one line each: where it listens
 * ({@code listener 127.0.0.1:25 role=mx}), its queue's depth ({@code queue messages=3}), how far each reader of the
 * event feed is behind ({@code feed consumer=webhooks lag=2}), which of them this node runs
 * ({@code feed here=log,webhooks}), and whether its store answers ({@code store ok}, or
 * {@code store error="..."}). The command judges the lines; the server only reports.
 */
final class ServerHealth {

    private final QueueStore queue;
    private final Supplier<List<String>> storeProblems;
    private final Supplier<List<String>> consumersHere;
    private volatile List<String> listeners = List.of();

    /**
     * The queue is also the event feed and keeps its readers' cursors; {@code consumersHere} names the consumers of
     * the feed this node runs (on PostgreSQL each runs on one node at a time).
     */
    ServerHealth(QueueStore queue, Supplier<List<String>> storeProblems, Supplier<List<String>> consumersHere) {
        this.queue = queue;
        this.storeProblems = storeProblems;
        this.consumersHere = consumersHere;
    }

    /** The listeners as bound, in the configuration's order, and the HTTP listener: known once start-up is over. */
    void listening(List<Config.Listener> configured, List<InetSocketAddress> bound, InetSocketAddress http,
                   boolean https) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            lines.add(line(bound.get(i), configured.get(i).role().name().toLowerCase(Locale.ROOT)));
        }
        lines.add(line(http, https ? "https" : "http"));
        listeners = List.copyOf(lines);
    }

    private static String line(InetSocketAddress a, String role) {
        String host = a.getAddress().getHostAddress();
        return "listener " + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + " role=" + role;
    }

    /** The report's lines as they are now. */
    List<String> report() throws IOException {
        List<String> lines = new ArrayList<>(listeners);
        lines.add("queue messages=" + queue.list().size());
        long last = queue.last();
        Map<String, Long> at = new TreeMap<>(queue.known());
        // a cursor from before a compaction counts only the events the feed still holds after it
        at.forEach((name, cursor) -> lines.add("feed consumer=" + name + " lag=" + Math.max(0, last - cursor)));
        List<String> here = consumersHere.get().stream().sorted().toList();
        lines.add("feed here=" + (here.isEmpty() ? "none" : String.join(",", here)));
        List<String> problems = storeProblems.get();
        lines.add(problems.isEmpty() ? "store ok" : "store error=\"" + String.join("; ", problems)
                .replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"");
        return lines;
    }
}
