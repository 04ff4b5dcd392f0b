package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.queue.NodeStatus;
import dev.petrel.store.postgres.PgQueueStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code petrel node list}: the nodes that share the queue on PostgreSQL, their heartbeats and their mail. */
@Command(name = "node", description = "The nodes that share the queue on PostgreSQL",
        subcommands = {NodeCommand.ListNodes.class})
final class NodeCommand {

    @Command(name = "list", description = {"List the nodes of the queue's database: name, number, started, last"
            + " heartbeat and its age, state (alive, stale: its lease ran out and others take its mail, stopped),"
            + " and the messages each delivers"})
    static final class ListNodes implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            if (!Queues.shared(c)) {
                System.out.println("no nodes: the embedded queue is delivered by one server ([store] url = \"embedded\")");
                return 0;
            }
            List<NodeStatus> nodes;
            try (PgQueueStore queue = (PgQueueStore) Queues.open(c, Clock.systemUTC(), new java.security.SecureRandom())) {
                nodes = queue.cluster().nodes();
            }
            print(nodes, System.out);
            return 0;
        }
    }

    static void print(List<NodeStatus> nodes, PrintStream out) {
        out.printf("%-24s %6s %-20s %-20s %8s %-7s %s%n", "NAME", "NUMBER", "STARTED", "HEARTBEAT", "AGE", "STATE",
                "MESSAGES");
        for (NodeStatus n : nodes) {
            out.printf("%-24s %6d %-20s %-20s %8s %-7s %d%n", n.name(), n.number(), seconds(n.started()),
                    seconds(n.heartbeat()), age(n.age()), n.state(), n.owned());
        }
        out.println(nodes.isEmpty() ? "no node has joined" : "-- " + nodes.size() + " node(s), "
                + nodes.stream().filter(n -> n.state().equals("alive")).count() + " alive");
    }

    private static String seconds(java.time.Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static String age(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? d.toMillis() / 100 / 10.0 + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
    }
}
