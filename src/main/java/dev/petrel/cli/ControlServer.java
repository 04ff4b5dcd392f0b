package dev.petrel.cli;

import dev.petrel.intake.Intake;
import dev.petrel.intake.Submission;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Reply;
import dev.petrel.queue.QueueActions;
import dev.petrel.queue.QueueStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The command line's way into a running server: a Unix socket in the data folder, readable by its owner
 * only. {@code petrel queue hold|release|delete} and {@code petrel sendmail} send their request here when a
 * server owns the queue, so the server stays the queue's only writer.
 */
final class ControlServer implements AutoCloseable {

    private final Path path;
    private final ServerSocketChannel channel;
    private final ServerHealth health;

    private ControlServer(Path path, ServerSocketChannel channel, ServerHealth health) {
        this.path = path;
        this.channel = channel;
        this.health = health;
    }

    /** What {@code petrel status} is told: systemd's watchdog asks it too. */
    ServerHealth health() {
        return health;
    }

    static ControlServer start(Path path, QueueStore queue, Intake intake, QueueActions actions, ServerHealth health)
            throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ControlServer server = new ControlServer(path, channel, health);
        Thread.ofPlatform().name("petrel-control").daemon(true).start(() -> server.acceptLoop(queue, intake, actions, health));
        return server;
    }

    private void acceptLoop(QueueStore queue, Intake intake, QueueActions actions, ServerHealth health) {
        while (channel.isOpen()) {
            try {
                SocketChannel client = channel.accept();
                Thread.ofVirtual().start(() -> serve(client, queue, intake, actions, health));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(SocketChannel client, QueueStore queue, Intake intake, QueueActions actions,
                              ServerHealth health) {
        try (client;
             DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
             OutputStream out = Channels.newOutputStream(client)) {
            ControlRequest request = ControlRequest.read(in);
            if (request instanceof ControlRequest.Events e) {
                EventsCommand.copy(queue, e.after(), e.follow(), out);
                return;
            }
            if (request instanceof ControlRequest.Status) {
                out.write((String.join("\n", health.report()) + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            String answer;
            try {
                answer = execute(request, intake, actions);
            } catch (IOException | IllegalArgumentException e) {
                answer = "ERR " + e.getMessage();
            }
            out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            // a broken request, or a reader of the feed that went away: the connection closes
        }
    }

    static String execute(ControlRequest request, Intake intake, QueueActions actions) throws IOException {
        return switch (request) {
            case ControlRequest.Flush f -> "OK every queued message is due now (" + actions.flush() + ")";
            case ControlRequest.Hold h -> done(actions.hold(new QueueId(h.id())), h.id(), "held");
            case ControlRequest.Release r -> done(actions.release(new QueueId(r.id())), r.id(), "released");
            case ControlRequest.Delete d -> done(actions.delete(new QueueId(d.id())), d.id(), "deleted");
            case ControlRequest.Enqueue e -> enqueue(e.envelope(), e.content(), intake);
            case ControlRequest.Events e -> "ERR the event feed is streamed, not answered";
            case ControlRequest.Status s -> "ERR no server is running";
        };
    }

    static String enqueue(Envelope envelope, byte[] content, Intake intake) {
        Reply reply = intake.accept(new Submission(envelope, content, "local", null, null, true, true));
        return (reply.isPositive() ? "OK " : "ERR ") + reply.summary();
    }

    private static String done(boolean found, String id, String what) {
        return found ? "OK " + id + " " + what : "ERR no message " + id + " in the queue";
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }
}
