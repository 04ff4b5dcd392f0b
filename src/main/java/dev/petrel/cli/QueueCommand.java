package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "queue", description = "Inspect and change the mail queue",
        subcommands = {QueueCommand.ListMessages.class, QueueCommand.Summary.class, QueueCommand.Show.class,
                QueueCommand.Flush.class,
                QueueCommand.Delete.class, QueueCommand.Hold.class, QueueCommand.Release.class})
final class QueueCommand {

    @Command(name = "list", description = "List queued messages, like mailq")
    static final class ListMessages implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            java.util.List<QueuedMessage> messages = Queues.view(c).list();
            java.util.Map<QueueId, String> owners = Queues.owners(c);
            PrintStream out = System.out;
            long total = 0;
            for (QueuedMessage m : messages) {
                total += m.size();
                String owner = owners.get(m.id());
                out.printf("%-16s %8d %s %s%s%s%n", m.id(), m.size(), m.arrival(),
                        "<" + m.envelope().reversePath() + ">", m.held() ? " (held)" : "",
                        owner == null ? "" : " node=" + owner);
                if (m.state().attempts() > 0) {
                    out.println("        next attempt " + m.state().nextAttempt() + " after " + m.state().attempts()
                            + " attempt(s)" + (m.state().lastError() == null ? "" : ": " + m.state().lastError()));
                }
                for (QueuedMessage.Pending p : m.pending()) {
                    out.println("        " + p.recipient().address());
                }
            }
            out.println(messages.isEmpty() ? "Mail queue is empty"
                    : "-- " + (total + 1023) / 1024 + " KiB in " + messages.size() + " message(s)");
            return 0;
        }
    }

    @Command(name = "summary", description = "Pending recipients by destination domain and age, like qshape")
    static final class Summary implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            System.out.print(dev.petrel.queue.QueueShape.of(Queues.view(config.load()).list(), java.time.Instant.now()).render());
            return 0;
        }
    }

    @Command(name = "show", description = "Print a queued message's envelope and content")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", converter = Arguments.QueueIdArg.class)
        QueueId id;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            Optional<StoredMessage> stored = Queues.view(c).read(id);
            if (stored.isEmpty()) {
                System.err.println("petrel: no message " + id + " in the queue");
                return 1;
            }
            QueuedMessage m = stored.get().message();
            PrintStream out = System.out;
            out.println("id: " + m.id());
            out.println("arrival: " + m.arrival());
            out.println("from: <" + m.envelope().reversePath() + ">");
            for (int i = 0; i < m.envelope().recipients().size(); i++) {
                Recipient r = m.envelope().recipients().get(i);
                out.println("to: <" + r.address() + ">" + (r.notifyOn().isEmpty() ? "" : " notify=" + r.notifyOn())
                        + (r.orcpt() == null ? "" : " orcpt=" + r.orcpt())
                        + (m.state().finished().contains(i) ? " (done)" : ""));
            }
            out.println("next attempt: " + m.state().nextAttempt() + " (" + m.state().attempts() + " made)");
            if (m.state().lastError() != null) {
                out.println("last error: " + m.state().lastError());
            }
            out.println("size: " + m.size());
            out.println("held: " + m.held());
            String owner = Queues.owners(c).get(id);
            if (Queues.shared(c)) {
                // on PostgreSQL: the node that delivers it, or none yet (held, or waiting for a node to claim it)
                out.println("node: " + (owner == null ? "none" : owner));
            }
            if (m.envelope().authenticatedUser() != null) {
                out.println("user: " + m.envelope().authenticatedUser());
            }
            if (m.context().tenant() != null) {
                out.println("tenant: " + m.context().tenant() + " stream: " + m.context().stream());
            }
            out.println("ret: " + m.envelope().ret() + (m.envelope().envid() == null ? "" : " envid=" + m.envelope().envid()));
            if (m.envelope().requireTls()) {
                out.println("requiretls: yes");
            }
            out.println();
            out.write(stored.get().content());
            out.flush();
            return 0;
        }
    }

    @Command(name = "flush", description = "Retry every deferred message now")
    static final class Flush implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            return QueueAccess.report(QueueAccess.perform(config.load(), new ControlRequest.Flush()));
        }
    }

    @Command(name = "delete", description = "Remove a message from the queue")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", converter = Arguments.QueueIdArg.class)
        QueueId id;

        @Override
        public Integer call() throws Exception {
            return QueueAccess.report(QueueAccess.perform(config.load(), new ControlRequest.Delete(id.value())));
        }
    }

    @Command(name = "hold", description = "Keep a message from delivery until released")
    static final class Hold implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", converter = Arguments.QueueIdArg.class)
        QueueId id;

        @Override
        public Integer call() throws Exception {
            return QueueAccess.report(QueueAccess.perform(config.load(), new ControlRequest.Hold(id.value())));
        }
    }

    @Command(name = "release", description = "Release a held message")
    static final class Release implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", converter = Arguments.QueueIdArg.class)
        QueueId id;

        @Override
        public Integer call() throws Exception {
            return QueueAccess.report(QueueAccess.perform(config.load(), new ControlRequest.Release(id.value())));
        }
    }
}
