package dev.petrel.server;

import dev.petrel.event.EventSink;
import dev.petrel.intake.Intake;
import dev.petrel.mail.Decision;
import dev.petrel.mail.Reply;
import dev.petrel.net.Deadlines;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.policy.ConnectionLimiter;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.smtp.Authenticator;
import dev.petrel.smtp.ServerSession;
import dev.petrel.smtp.SessionSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * The listeners: one accept loop per endpoint, one virtual thread per connection, limits on connections
 * before anything else is read. {@link #drain} stops it the gentle way: no new connections, sessions in flight
 * let finish their transaction.
 */
public final class SmtpServer implements AutoCloseable {

    // after an accept or admission failed (file descriptors or memory ran out): a short wait, not a busy loop
    private static final long ACCEPT_PAUSE_MILLIS = 50;


    private final ServerOptions options;
    private final SSLContext tls;
    private final ConnectionLimiter connections;
    private final AuthFailureLimiter authFailures;
    private final RelayPolicy policy;
    private final Intake intake;
    private final Authenticator authenticator;
    private final EventSink events;
    private final Clock clock;
    private final RandomGenerator random;
    private final ServerMeters meters;
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    // accepted behind a proxy, its header not read yet
    private final Set<Socket> pending = ConcurrentHashMap.newKeySet();
    // set before the listeners close: a socket accepted at that moment and put in pending after the drain swept it
    // sees it and is not let in
    private volatile boolean stopping;
    private final Object closed = new Object();
    private volatile Deadlines deadlines;

    public SmtpServer(ServerOptions options, SSLContext tls, ConnectionLimiter connections, AuthFailureLimiter authFailures,
                      RelayPolicy policy, Intake intake, Authenticator authenticator, EventSink events, Clock clock,
                      RandomGenerator random, MeterRegistry meters) {
        this.meters = new ServerMeters(meters);
        this.options = options;
        this.tls = tls;
        this.connections = connections;
        this.authFailures = authFailures;
        this.policy = policy;
        this.intake = intake;
        this.authenticator = authenticator;
        this.events = events;
        this.clock = clock;
        this.random = random;
    }

    /** Binds every endpoint and starts accepting; returns the bound addresses in the order of the endpoints. */
    public List<InetSocketAddress> start() throws IOException {
        deadlines = new Deadlines(Deadlines.tickFor(options.heloTimeout(), options.mailTimeout(),
                options.rcptTimeout(), options.dataBlockTimeout(), options.authTimeout(), options.tlsHandshakeTimeout(),
                shortestProxyTimeout()));
        List<InetSocketAddress> bound = new ArrayList<>();
        for (ServerOptions.Endpoint endpoint : options.endpoints()) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port()), 1024);
            } catch (IOException e) {
                socket.close();
                close();
                throw new IOException("cannot listen on " + endpoint.host() + ":" + endpoint.port() + ": " + e.getMessage(), e);
            }
            sockets.add(socket);
            InetSocketAddress address = (InetSocketAddress) socket.getLocalSocketAddress();
            bound.add(address);
            ServerMeters.Listener listener = meters.listener(address.getAddress().getHostAddress() + ":"
                    + address.getPort(), endpoint.role().name().toLowerCase(Locale.ROOT));
            ProxyReception proxy = endpoint.proxy().enabled()
                    ? new ProxyReception(endpoint.proxy(), deadlines, events, clock) : null;
            acceptors.add(Thread.ofPlatform().name("petrel-accept-" + socket.getLocalPort()).daemon(true)
                    .start(() -> acceptLoop(socket, endpoint.role(), listener, proxy)));
        }
        return bound;
    }

    private Duration shortestProxyTimeout() {
        return options.endpoints().stream().filter(e -> e.proxy().enabled()).map(e -> e.proxy().timeout())
                .min(Duration::compareTo).orElse(options.heloTimeout());
    }

    // the listener's one thread: whatever happens to one connection (even memory running out while admitting it),
    // the loop goes on accepting the next; a failing accept pauses a moment rather than spin
    private void acceptLoop(ServerSocket server, Role role, ServerMeters.Listener listener, ProxyReception proxy) {
        while (!server.isClosed()) {
            Socket socket = null;
            try {
                socket = server.accept();
                if (proxy == null) {
                    admit(socket, role, listener, socket.getInetAddress());
                } else {
                    receive(socket, role, listener, proxy);
                }
            } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
                if (server.isClosed()) {
                    return;
                }
                closeQuietly(socket);
                pause();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            ProxyReception.closeQuietly(socket);
        }
    }

    /**
     * Behind a proxy: the header is read on the connection's own thread, and only the client it names is admitted
     * (connection limits count real clients, not the proxy); until then the socket is pending, and a drain closes it.
     */
    private void receive(Socket socket, Role role, ServerMeters.Listener listener, ProxyReception proxy) {
        pending.add(socket);
        Thread.ofVirtual().name("proxy-" + socket.getInetAddress().getHostAddress()).start(() -> {
            try {
                Optional<InetAddress> client = proxy.client(socket);
                if (client.isPresent() && pending.remove(socket) && !stopping) {
                    admit(socket, role, listener, client.get());
                    return;
                }
                listener.refused();
                closeQuietly(socket);
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                closeQuietly(socket);
            } finally {
                pending.remove(socket);
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admit(Socket socket, Role role, ServerMeters.Listener listener, InetAddress client) {
        Decision decision = connections.tryOpen(client);
        if (!(decision instanceof Decision.Accept)) {
            listener.refused();
            Thread.ofVirtual().start(() -> refuse(socket, decision, meters));
            return;
        }
        listener.opened();
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // not essential
        }
        try {
            MilterChain milters = milters(role);
            ServerSession session = newSession(role, client, milters);
            Connection connection = new Connection(socket, session, tls, options, role, deadlines, meters, c -> {
                milters.close();
                listener.closed();
                connections.close(client);
                forget(c);
            });
            open.add(connection);
            Thread.ofVirtual().name("smtp-" + client.getHostAddress()).start(connection);
        } catch (RuntimeException | Error e) {
            // not admitted after all: its place is given back, and the accept loop closes the socket
            listener.closed();
            connections.close(client);
            throw e;
        }
    }

    private void forget(Connection connection) {
        open.remove(connection);
        synchronized (closed) {
            closed.notifyAll();
        }
    }

    /** The connections open now. */
    public int openConnections() {
        return open.size();
    }

    /**
     * Stops the gentle way: closes the listeners (new connections are refused), tells each session waiting
     * between transactions that the service is shutting down (421 4.3.2), lets the others finish their
     * transaction, and after {@code timeout} closes what is still open. Returns how many were cut off so.
     */
    public int drain(Duration timeout) throws InterruptedException {
        closeListeners();
        open.forEach(Connection::drain);
        awaitClosed(System.nanoTime() + timeout.toNanos());
        int cut = open.size();
        open.forEach(Connection::abort);
        // their threads fail their next read or write at once; a moment to let them record it
        awaitClosed(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        close();
        return cut;
    }

    private void awaitClosed(long deadline) throws InterruptedException {
        synchronized (closed) {
            long left;
            while (!open.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                closed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * A session wired exactly as a connection's is, for a client at {@code client}: conversation tests drive it
     * without sockets.
     */
    public ServerSession newSession(Role role, InetAddress client) {
        return newSession(role, client, milters(role));
    }

    private MilterChain milters(Role role) {
        return new MilterChain(options.milters(), role, new MilterMacros(options.hostname()));
    }

    private ServerSession newSession(Role role, InetAddress client, MilterChain milters) {
        SessionBridge hooks = new SessionBridge(role, client, policy, authFailures, intake, authenticator, events, clock,
                milters);
        // a store that cannot be reached is a 451 to the client and a line in the log, never a connection cut
        return new ServerSession(settings(role), new LocalFailures(hooks, System.err::println, clock), random,
                client.getHostAddress());
    }

    private SessionSettings settings(Role role) {
        return new SessionSettings(options.hostname(), !role.implicitTls(), role.submission(), role.submission(),
                options.maxMessageSize(), options.maxRecipients(), options.maxErrors());
    }

    private static void refuse(Socket socket, Decision decision, ServerMeters meters) {
        try (socket) {
            Reply reply = decision instanceof Decision.Defer d ? d.reply() : ((Decision.Reject) decision).reply();
            meters.replied(reply);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(reply.toBytes());
            socket.getOutputStream().flush();
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    @Override
    public void close() {
        if (deadlines != null) {
            deadlines.close();
        }
        closeListeners();
    }

    private void closeListeners() {
        stopping = true;
        for (ServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        // a connection still waiting for its PROXY header is not let in any more
        pending.forEach(SmtpServer::closeQuietly);
        pending.clear();
    }
}
