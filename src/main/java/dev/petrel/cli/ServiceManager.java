package dev.petrel.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * What {@code petrel serve} tells systemd (sd_notify(3)): {@code READY=1} once every listener is bound and the
 * queue is open, {@code STOPPING=1} when a signal asks it to stop, and a {@code STATUS=} line for
 * {@code systemctl status}. Each is one datagram to the Unix socket named by {@code $NOTIFY_SOCKET} (a path, or
 * a name in Linux's abstract namespace after an {@code @}); without that variable (not run by systemd, or not
 * with {@code Type=notify}) nothing is sent.
 *
 * <p>The JDK's Unix domain sockets (JEP 380) are stream sockets only: {@code DatagramChannel.open(UNIX)} throws
 * "Protocol family not supported" up to JDK 25, and the foreign function API that could call {@code sendto}
 * itself is not final in Java 21. junixsocket sends the datagram instead; calling {@code systemd-notify} would
 * race with systemd, which drops a message whose sender exited before it could tell the sender's unit.
 */
final class ServiceManager {

    private final String socket;
    private final PrintStream err;

    private ServiceManager(String socket, PrintStream err) {
        this.socket = socket;
        this.err = err;
    }

    /** The service manager this process was started by, as {@code $NOTIFY_SOCKET} names it. */
    static ServiceManager of(Map<String, String> environment, PrintStream err) {
        String socket = environment.get("NOTIFY_SOCKET");
        return new ServiceManager(socket == null || socket.isEmpty() ? null : socket, err);
    }

    /** Start-up is over: the ports answer and the queue is open. */
    void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status) + "\nMAINPID=" + ProcessHandle.current().pid() + "\n");
    }

    /** A signal asked the server to stop; it drains now. */
    void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status) + "\n");
    }

    /**
     * How often to tell systemd the server is alive, when its unit has {@code WatchdogSec=}: half the time
     * {@code $WATCHDOG_USEC} allows (sd_watchdog_enabled(3)), when {@code $WATCHDOG_PID} is unset or names this
     * process.
     */
    static Optional<Duration> watchdogInterval(Map<String, String> environment) {
        String usec = environment.get("WATCHDOG_USEC");
        String pid = environment.get("WATCHDOG_PID");
        if (usec == null || pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000 / 2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The server answered its health check: systemd's watchdog timer starts again. */
    void alive() {
        send("WATCHDOG=1\n");
    }

    /** What {@code systemctl status} shows on its Status line. */
    void status(String status) {
        send("STATUS=" + oneLine(status) + "\n");
    }

    // a STATUS= value ends at the line's end: a newline in it would start a field of its own
    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    private void send(String message) {
        if (socket == null) {
            return;
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (AFUNIXDatagramChannel out = AFUNIXDatagramChannel.open()) {
            out.send(ByteBuffer.wrap(bytes), address(socket));
        } catch (IOException | RuntimeException e) {
            // the server runs on; systemd, if it waits for READY=1, says so when its start timeout ends
            err.println("petrel: cannot notify the service manager at NOTIFY_SOCKET=" + socket + ": " + e.getMessage());
        }
    }

    static AFUNIXSocketAddress address(String socket) throws IOException {
        // sd_notify(3): a name starting with '@' is in the abstract namespace, its first byte NUL
        return socket.startsWith("@") ? AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1))
                : AFUNIXSocketAddress.of(new File(socket));
    }
}
