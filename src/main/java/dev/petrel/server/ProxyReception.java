package dev.petrel.server;

import dev.petrel.event.EventSink;
import dev.petrel.event.MailEvent;
import dev.petrel.net.Deadlines;
import dev.petrel.net.ProxyHeader;
import dev.petrel.net.ProxyHeaderReader;
import dev.petrel.net.WatchedStreams;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Takes a connection on a listener with the PROXY protocol: its peer must be a trusted proxy, and the header must
 * arrive whole within the listener's timeout; then the header's source is the client that policy, limits, the
 * Received header and the logs see. Otherwise the connection is dropped without a word, as Postfix's smtpd drops it
 * ("hang up before accepting input: we don't know what we're talking to and what rights they might have"), and
 * a {@code rejected} event at stage {@code proxy} says why, with the peer's address.
 */
final class ProxyReception {

    static final String STAGE = "proxy";

    private final ProxyProtocol settings;
    private final Deadlines deadlines;
    private final EventSink events;
    private final Clock clock;

    ProxyReception(ProxyProtocol settings, Deadlines deadlines, EventSink events, Clock clock) {
        this.settings = settings;
        this.deadlines = deadlines;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The client {@code socket} is for: the header's source, or the peer itself for the proxy's own health check
     * (v2 LOCAL) or a connection it cannot describe (v1 UNKNOWN); empty when the connection is to be dropped.
     */
    Optional<InetAddress> client(Socket socket) {
        InetAddress peer = socket.getInetAddress();
        if (!settings.trusts(peer)) {
            return refused(peer, "not a trusted proxy");
        }
        Deadlines.Watch watch = deadlines.watch(Deadlines.Expiry.closing(() -> closeQuietly(socket)));
        try {
            WatchedStreams streams = new WatchedStreams(watch, socket.getInputStream(), OutputStream.nullOutputStream(),
                    settings.timeout());
            // the whole header within the timeout: a proxy (or a client) dripping octets cannot hold a slot longer
            streams.deadline(settings.timeout());
            return Optional.of(switch (ProxyHeaderReader.read(streams.in())) {
                case ProxyHeader.Proxied p -> p.source().getAddress();
                case ProxyHeader.Unproxied u -> peer;
            });
        } catch (WatchedStreams.DeadlinePassed e) {
            return refused(peer, "no PROXY protocol header within " + written(settings.timeout()));
        } catch (EOFException e) {
            return refused(peer, "connection closed inside the PROXY protocol header");
        } catch (IOException e) {
            return refused(peer, e.getMessage());
        } finally {
            watch.close();
        }
    }

    // as the configuration writes it: "5s", "1500ms"
    private static String written(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private Optional<InetAddress> refused(InetAddress peer, String why) {
        events.publish(new MailEvent.Rejected(clock.instant(), peer.getHostAddress(), STAGE, null, null,
                "dropped: " + why));
        return Optional.empty();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
