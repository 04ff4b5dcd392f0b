package dev.petrel.cli;

import dev.petrel.compliance.UnsubscribeSecret;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.queue.QueueCopy;
import dev.petrel.queue.QueueStore;
import dev.petrel.store.Stores;
import dev.petrel.store.postgres.PgQueueStore;
import dev.petrel.store.TableCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "store", description = "Move a Petrel's stores and queue to another store",
        subcommands = {StoreCommand.Copy.class})
final class StoreCommand {

    @Command(name = "copy", description = {"Copy every store (accounts, tenants, keys, suppressions, consents,"
            + " webhooks, the message log, ...) and the queue of --config into the store of --to, a configuration"
            + " naming another store: a data folder's SQLite into PostgreSQL for several nodes, or back.",
            "No server may run on either. The target must be new unless --replace; the source is left as it was."})
    static final class Copy implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--to", required = true, paramLabel = "FILE",
                description = "The configuration of the store to copy into ([store] url and data_dir)")
        Path to;

        @Option(names = "--replace", description = "Delete what the target store holds first")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            Config from = config.load();
            Config target = ConfigLoader.load(to);
            boolean sameFolder = from.dataDir().toAbsolutePath().normalize()
                    .equals(target.dataDir().toAbsolutePath().normalize());
            if (from.storeUrl().equals(target.storeUrl()) && (sameFolder || !from.storeUrl().equals(Stores.EMBEDDED))) {
                System.err.println("petrel: --to " + to + " names the same store as the configuration copied from");
                return Main.INVALID;
            }
            Clock clock = Clock.systemUTC();
            RandomGenerator random = new java.security.SecureRandom();
            // the queues first: each is held by this process alone while it copies, so no server runs on either
            try (QueueStore source = Queues.openAlone(from, clock, random)) {
                Queues.prepareCopy(target, source.last());
                try (QueueStore into = Queues.openAlone(target, clock, random); Stores fromStores = open(from);
                     Stores toStores = open(target)) {
                    TableCopy.Copied rows = TableCopy.copy(fromStores, toStores, replace,
                            PgQueueStore.TABLES);
                    int messages = QueueCopy.copy(source, into);
                    List<String> secrets = copySecrets(from.dataDir(), target.dataDir());
                    report(rows.rows(), messages, secrets, target);
                }
            }
            return 0;
        }

        // the secrets of links and addresses in mail already sent (unsubscribe links, VERP bounce addresses): they
        // keep working from the new store
        private List<String> copySecrets(Path fromDir, Path toDir) throws IOException {
            List<String> copied = new java.util.ArrayList<>();
            for (String name : List.of(UnsubscribeSecret.FILE, FeedbackWiring.SECRET_FILE)) {
                Path secret = fromDir.resolve(name);
                Path copy = toDir.resolve(name);
                if (Files.exists(secret) && (!Files.exists(copy) || replace)) {
                    Files.createDirectories(toDir);
                    Files.copy(secret, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    copied.add(name);
                }
            }
            return copied;
        }

        private static Stores open(Config c) throws IOException {
            return Stores.open(c.storeUrl(), c.dataDir(), List.of(), line -> System.err.println("petrel: " + line));
        }

        private static void report(Map<String, Long> rows, int messages, List<String> secrets, Config target) {
            long total = rows.values().stream().mapToLong(Long::longValue).sum();
            rows.forEach((table, count) -> System.out.println("table " + table + " rows=" + count));
            System.out.println("queue messages=" + messages);
            System.out.println("copied " + total + " row(s) in " + rows.size() + " table(s) and " + messages
                    + " message(s) into " + describe(target) + (secrets.isEmpty() ? "" : ", and " + String.join(", ", secrets)));
        }

        private static String describe(Config c) {
            return c.storeUrl().equals(Stores.EMBEDDED) ? c.dataDir().toString()
                    : c.storeUrl().replaceAll("password=[^&]*", "password=...");
        }
    }
}
