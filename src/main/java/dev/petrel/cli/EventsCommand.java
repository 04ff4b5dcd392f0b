package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.event.EventFeed;
import dev.petrel.event.EventJson;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueLockedException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code petrel events}: the event feed as JSON lines, in order, each with its cursor as {@code id}; from the
 * running server through its control socket, or from the data folder when none runs. With {@code --follow} it
 * waits for new events, as a webhook dispatcher reads the feed.
 */
@Command(name = "events", description = "Print the event feed as JSON lines (DESIGN.md's event shape), oldest first")
final class EventsCommand implements Callable<Integer> {

    private static final int BATCH = 1000;
    private static final Duration WAIT = Duration.ofSeconds(1);

    @Mixin
    ConfigOption config;

    @Option(names = "--after", paramLabel = "CURSOR", description = "only events after this one (default: 0, all kept)")
    long after;

    @Option(names = {"-f", "--follow"}, description = "keep printing new events as they come (until interrupted)")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        if (Queues.servedHere(c)) {
            return viaServer(c);
        }
        QueueStore queue;
        try {
            queue = Queues.open(c, Clock.systemUTC(), new SecureRandom());
        } catch (QueueLockedException e) {
            return viaServer(c);
        }
        try (queue) {
            copy(queue, after, follow, System.out);
        }
        return 0;
    }

    private int viaServer(Config c) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(c.controlSocket()));
            new ControlRequest.Events(after, follow).write(new DataOutputStream(Channels.newOutputStream(channel)));
            InputStream in = Channels.newInputStream(channel);
            in.transferTo(System.out);
            System.out.flush();
        }
        return 0;
    }

    /** Writes the feed after {@code after} to {@code out}, one JSON line per event; with follow, until the feed's end. */
    static void copy(EventFeed feed, long after, boolean follow, OutputStream out) throws IOException {
        long cursor = after;
        StringBuilder lines = new StringBuilder();
        while (true) {
            List<EventFeed.Entry> batch = feed.read(cursor, BATCH);
            for (EventFeed.Entry e : batch) {
                lines.append(EventJson.render(e)).append('\n');
                cursor = e.cursor();
            }
            if (!lines.isEmpty()) {
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                lines.setLength(0);
            }
            if (batch.isEmpty()) {
                if (!follow) {
                    return;
                }
                try {
                    feed.await(cursor, WAIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
