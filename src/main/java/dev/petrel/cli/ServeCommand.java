package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.Units;
import dev.petrel.event.LogLines;
import java.net.InetSocketAddress;
import java.time.Clock;
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

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        CheckConfigCommand.checkTls(c, config.file());
        EgressCheck.checkPools(c, config.file());
        Config.Log logging = logOptions.over(c.log());
        LogOptions.redirectStderr(logging, Clock.systemUTC());
        LogLines log = LogOptions.stdout(logging, Clock.systemUTC());
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
        ServiceManager systemd = ServiceManager.of(System.getenv(), System.err);
        systemd.ready(announce(petrel, c, log));
        ServiceManager.watchdogInterval(System.getenv())
                .ifPresent(every -> Watchdog.start(every, petrel.health(), systemd));
        serveUntilStopped(petrel, signals, log, c.timeouts().drain(), systemd);
        return 0;
    }

    // the lines that say where the server listens; returns the last, which systemctl status shows
    private static String announce(Petrel petrel, Config c, LogLines log) throws java.io.IOException {
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
        String ready = "data in " + c.dataDir().toAbsolutePath() + ", " + petrel.queue().list().size()
                + " message(s) in the queue";
        log.println("petrel: " + ready);
        return ready;
    }

    private static void serveUntilStopped(Petrel petrel, BlockingQueue<String> signals, LogLines log,
                                          Duration drain, ServiceManager systemd) throws Exception {
        while (true) {
            String signal = signals.take();
            if (signal.equals("HUP")) {
                systemd.status(reload(petrel, log));
                continue;
            }
            String stopping = "stopping: signal " + signal + "; draining " + petrel.server().openConnections()
                    + " session(s), at most " + Units.format(drain);
            systemd.stopping(stopping);
            log.println("petrel: " + stopping);
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

    private static String reload(Petrel petrel, LogLines log) {
        List<String> failures = petrel.reload();
        failures.forEach(f -> log.write(LogLines.Level.WARNING, "petrel: reload failed, kept the old one: " + f));
        List<String> done = petrel.reloadableParts().stream()
                .filter(part -> failures.stream().noneMatch(f -> f.startsWith(part + ": "))).toList();
        String reloaded = "reloaded " + String.join(", ", done);
        log.println("petrel: " + reloaded);
        return reloaded + (failures.isEmpty() ? "" : "; reload failed: " + String.join("; ", failures));
    }
}
