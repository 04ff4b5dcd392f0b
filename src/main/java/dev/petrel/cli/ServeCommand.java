package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.Units;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", description = {"Run the server.",
        "SIGTERM or SIGINT: stop taking connections, let sessions and deliveries in flight finish (at most"
                + " [timeouts] drain, 30s by default), then exit 0.",
        "SIGHUP: read the TLS certificate and the stores' cached data again, keeping connections open."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        CheckConfigCommand.checkTls(c, config.file);
        EgressCheck.checkPools(c, config.file);
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        BlockingQueue<String> signals = Signals.listen(System.err, "TERM", "INT", "HUP");
        Petrel petrel = Petrel.start(c, log);
        // for an exit that is not one of the signals above; after a drain it finds nothing left to close
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                petrel.close();
            } catch (Exception e) {
                System.err.println("petrel: " + e.getMessage());
            }
        }));
        announce(petrel, c, log);
        serveUntilStopped(petrel, signals, log, c.timeouts().drain());
        return 0;
    }

    private static void announce(Petrel petrel, Config c, PrintStream log) throws java.io.IOException {
        List<Config.Listener> listeners = c.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            InetSocketAddress a = petrel.addresses().get(i);
            log.println("petrel: listening on " + a.getAddress().getHostAddress() + ":" + a.getPort()
                    + " role=" + listeners.get(i).role().name().toLowerCase(Locale.ROOT)
                    + (listeners.get(i).proxy().enabled() ? " proxy_protocol from " + String.join(",",
                    listeners.get(i).proxy().trustedProxies()) : ""));
        }
        InetSocketAddress http = petrel.httpAddress();
        log.println("petrel: listening on " + http.getAddress().getHostAddress() + ":" + http.getPort() + " role=http"
                + (c.http().tls() ? "s" : "") + " (" + c.http().publicUrl() + ")");
        log.println("petrel: data in " + c.dataDir().toAbsolutePath() + ", " + petrel.queue().list().size()
                + " message(s) in the queue");
    }

    private static void serveUntilStopped(Petrel petrel, BlockingQueue<String> signals, PrintStream log,
                                          Duration drain) throws Exception {
        while (true) {
            String signal = signals.take();
            if (signal.equals("HUP")) {
                reload(petrel, log);
                continue;
            }
            log.println("petrel: stopping: signal " + signal + "; draining " + petrel.server().openConnections()
                    + " session(s), at most " + Units.format(drain));
            Petrel.Stopped stopped = petrel.stop(drain);
            if (stopped.sessionsCut() > 0 || stopped.deliveriesCut()) {
                log.println("petrel: after " + Units.format(drain) + ", closed " + stopped.sessionsCut()
                        + " session(s) still open" + (stopped.deliveriesCut()
                        ? "; delivery attempts under way are tried again at the next start" : ""));
            }
            log.println("petrel: stopped");
            return;
        }
    }

    private static void reload(Petrel petrel, PrintStream log) {
        List<String> failures = petrel.reload();
        failures.forEach(f -> log.println("petrel: reload failed, kept the old one: " + f));
        List<String> done = petrel.reloadableParts().stream()
                .filter(part -> failures.stream().noneMatch(f -> f.startsWith(part + ": "))).toList();
        log.println("petrel: reloaded " + String.join(", ", done));
    }
}
