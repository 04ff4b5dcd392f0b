package dev.petrel.cli;

import java.time.Duration;
import java.util.List;

/**
 * systemd's watchdog (WatchdogSec= in the unit): every interval the server makes the report {@code petrel status}
 * reads (listeners, the queue's depth, the feed's readers, the store) and, once it has it, tells systemd
 * {@code WATCHDOG=1}. A server that hangs (a deadlock, a JVM stalled in collections) stops telling it, and
 * systemd kills and restarts it. A store that answers with an error still counts as alive: restarting does not
 * bring a database back, and the report says what is wrong.
 */
final class Watchdog {

    private Watchdog() {}

    /** Starts the pings on a daemon thread of their own; they end with the process. */
    static void start(Duration interval, ServerHealth health, ServiceManager systemd) {
        Thread.ofPlatform().name("petrel-watchdog").daemon(true).start(() -> run(interval, health, systemd));
    }

    private static void run(Duration interval, ServerHealth health, ServiceManager systemd) {
        while (true) {
            try {
                List<String> report = health.report();
                if (!report.isEmpty()) {
                    systemd.alive();
                }
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // no ping this time: a report that cannot be made is what the watchdog is for
                sleepQuietly(interval);
            }
        }
    }

    private static void sleepQuietly(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
