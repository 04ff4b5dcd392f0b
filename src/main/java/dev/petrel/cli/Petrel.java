package dev.petrel.cli;

import dev.petrel.account.LocalRecipients;
import dev.petrel.config.Config;
import dev.petrel.delivery.Dispatcher;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.event.EventSink;
import dev.petrel.event.FeedReader;
import dev.petrel.event.LogSink;
import dev.petrel.intake.AuthenticationPolicy;
import dev.petrel.intake.Intake;
import dev.petrel.mailauth.DkimVerifier;
import dev.petrel.mailauth.DmarcChecker;
import dev.petrel.mailauth.InboundChecks;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.mailauth.SpfChecker;
import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.policy.Client;
import dev.petrel.policy.ConnectionLimiter;
import dev.petrel.policy.Network;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.Scheduler;
import dev.petrel.server.Role;
import dev.petrel.server.ServerCertificate;
import dev.petrel.server.ServerOptions;
import dev.petrel.server.SmtpServer;
import dev.petrel.store.CachedAccounts;
import dev.petrel.store.Stores;
import dev.petrel.webhook.WebhookOperations;
import dev.petrel.webhook.WebhookResults;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * One running Petrel: the only place where implementations are chosen and wired together from a
 * {@link Config}. Tests start it with port 0 listeners and a folder of their own.
 */
public final class Petrel implements AutoCloseable {

    private final Config config;
    private final Stores stores;
    private final JournalQueueStore queue;
    private final SmtpServer server;
    private final ControlServer control;
    private final Dispatcher delivery;
    private final FeedReader log;
    private final WebhookWiring webhooks;
    private final List<InetSocketAddress> addresses;
    private final List<Reloadable.Named> reloadables;
    private boolean closed;

    private Petrel(Config config, Stores stores, JournalQueueStore queue, SmtpServer server, ControlServer control,
                   Dispatcher delivery, FeedReader log, WebhookWiring webhooks, List<InetSocketAddress> addresses,
                   List<Reloadable.Named> reloadables) {
        this.config = config;
        this.stores = stores;
        this.queue = queue;
        this.server = server;
        this.control = control;
        this.delivery = delivery;
        this.log = log;
        this.webhooks = webhooks;
        this.addresses = addresses;
        this.reloadables = List.copyOf(reloadables);
    }

    /** What {@link #stop} left unfinished when its time was up. */
    public record Stopped(int sessionsCut, boolean deliveriesCut) {}

    public static Petrel start(Config config, PrintStream log) throws IOException {
        Clock clock = Clock.systemUTC();
        // secrets (salts, SCRAM nonces) need a secure generator; queue ids and Message-IDs only need to be
        // unique, which time already makes them, and a fast thread-safe one keeps a lock off the hot path
        RandomGenerator random = new SecureRandom();
        RandomGenerator fast = ThreadLocalRandom.current();
        Files.createDirectories(config.dataDir());
        ServerCertificate certificate = ServerCertificate.open(config.tls().certificate(), config.tls().privateKey(),
                config.dataDir().resolve("tls"), config.hostname());
        // every read goes to the database: the server sees at once what `petrel user|domain|alias` changed
        Stores stores = stores(config);
        JournalQueueStore queue;
        try {
            queue = Queues.open(config, clock, fast);
        } catch (IOException | RuntimeException e) {
            stores.close();
            throw e;
        }
        FeedReader logReader = null;
        WebhookWiring webhooks = null;
        try {
            // the log reads the event feed in order, from where it stopped; refusals are written to the feed too
            logReader = FeedReader.start("log", queue, queue, new LogSink(log), Duration.ofSeconds(1));
            // webhooks read the feed by a cursor of their own; what they owe is in the store before it moves
            webhooks = WebhookWiring.start(config, stores, queue, queue, clock, random, WebhookResults.NONE);
            EventSink refusals = queue::append;
            Scheduler scheduler = new Scheduler(clock);
            // the server asks who a recipient is several times per message, and for the From domain's DKIM keys:
            // answers are kept a second, so `petrel user|domain|alias|dkim` changes show within one
            CachedAccounts accounts = new CachedAccounts(stores, Duration.ofSeconds(1));
            StoredDkimKeys dkimKeys = new StoredDkimKeys(accounts.dkimKeys());
            // SIGHUP: each part re-reads what it caches
            List<Reloadable.Named> reloadables = new ArrayList<>(List.of(
                    new Reloadable.Named("tls certificate", certificate::reload),
                    new Reloadable.Named("dkim keys", dkimKeys::reload),
                    new Reloadable.Named("accounts", accounts::clear)));
            Intake intake = new Intake(queue, refusals, clock, fast, config.hostname(), config.limits().hops(),
                    dkimKeys, inboundChecks(config, clock, fast),
                    new AuthenticationPolicy(config.mailAuth().dmarcReject(), config.mailAuth().temperrorDefer()),
                    config.hold(), scheduler);
            Config.Limits limits = config.limits();
            LocalRecipients recipients = DeliveryWiring.recipients(config, accounts);
            RelayPolicy policy = new RelayPolicy(accounts.users(), recipients,
                    config.relayNetworks().stream().map(Network::parse).toList());
            SmtpServer server = new SmtpServer(options(config), certificate.context(),
                    new ConnectionLimiter(limits.connections(), limits.connectionsPerClient(),
                            address -> policy.inRelayNetworks(new Client(address, null))),
                    new AuthFailureLimiter(limits.authFailures(), limits.authFailureWindow(), clock),
                    policy, intake, new AccountAuthenticator(accounts.users()), refusals, clock, random);
            Dispatcher delivery = DeliveryWiring.dispatcher(config, queue, scheduler, intake, recipients, clock, fast);
            delivery.start();
            List<InetSocketAddress> bound = server.start();
            ControlServer control = ControlServer.start(config.controlSocket(), queue, intake, new ControlServer.Delivery() {
                @Override
                public int flush() {
                    return delivery.flush();
                }

                @Override
                public void released(QueueId id) throws IOException {
                    delivery.released(id);
                }
            });
            return new Petrel(config, stores, queue, server, control, delivery, logReader, webhooks, bound, reloadables);
        } catch (IOException | RuntimeException e) {
            if (webhooks != null) {
                webhooks.close();
            }
            if (logReader != null) {
                logReader.close();
            }
            queue.close();
            stores.close();
            throw e;
        }
    }

    private static InboundChecks inboundChecks(Config config, Clock clock, RandomGenerator random) {
        DnsjavaResolver resolver = DeliveryWiring.resolver(config, clock);
        return new InboundChecks(new DkimVerifier(resolver, clock), new SpfChecker(resolver),
                new DmarcChecker(resolver, PublicSuffixList.bundled(), random));
    }

    // the hostname as a domain, for its postmaster; a name that is not one (rare) has none
    static Domain ownName(String hostname) {
        try {
            return Domain.parse(hostname);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The stores the configuration names, opened (and an old accounts.json imported, which standard error is
     * told of); the caller closes them.
     */
    static Stores stores(Config config) throws IOException {
        return Stores.open(config.storeUrl(), config.dataDir(), config.localDomains().stream().map(Domain::parse).toList(),
                line -> System.err.println("petrel: " + line));
    }

    static ServerOptions options(Config c) {
        Config.Limits l = c.limits();
        Config.Timeouts t = c.timeouts();
        List<ServerOptions.Endpoint> endpoints = c.listeners().stream()
                .map(x -> new ServerOptions.Endpoint(x.host(), x.port(), Role.valueOf(x.role().name()))).toList();
        return new ServerOptions(c.hostname(), endpoints, l.messageSize(), l.recipients(), l.lineLength(), l.errors(),
                t.helo(), t.mail(), t.rcpt(), t.dataBlock(), t.auth(), t.tlsHandshake());
    }

    /** The bound listener addresses, in the order of the configuration's listeners. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    public SmtpServer server() {
        return server;
    }

    public JournalQueueStore queue() {
        return queue;
    }

    public Config config() {
        return config;
    }

    /** Webhook endpoints as the web layer serves them ({@code /v1/webhooks}). */
    public WebhookOperations webhooks() {
        return webhooks.operations();
    }

    /** The event feed's reader that writes the log. */
    public FeedReader log() {
        return log;
    }

    /**
     * SIGHUP: each reloadable part re-reads its files or cache; connections stay open. Returns one line per part
     * that failed (it keeps what it had).
     */
    public List<String> reload() {
        List<String> failures = new ArrayList<>();
        for (Reloadable.Named r : reloadables) {
            try {
                r.part().reload();
            } catch (IOException | RuntimeException e) {
                failures.add(r.name() + ": " + e.getMessage());
            }
        }
        return failures;
    }

    /** The names of the parts {@link #reload} re-reads, in its order. */
    public List<String> reloadableParts() {
        return reloadables.stream().map(Reloadable.Named::name).toList();
    }

    /**
     * SIGTERM: refuses new connections, lets sessions in flight and delivery attempts under way finish for up to
     * {@code drain}, closes what is left, then the queue.
     */
    public synchronized Stopped stop(Duration drain) throws IOException, InterruptedException {
        if (closed) {
            return new Stopped(0, false);
        }
        boolean[] deliveriesIdle = {true};
        Thread deliveries = Thread.ofPlatform().name("petrel-stop-delivery").start(() -> {
            try {
                deliveriesIdle[0] = delivery.stop(drain);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int cut = server.drain(drain);
        deliveries.join();
        close();
        return new Stopped(cut, !deliveriesIdle[0]);
    }

    /** Stops at once: sessions in flight are cut off, nothing acknowledged is lost. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        control.close();
        delivery.close();
        webhooks.close();
        // the log's last lines: every event written before the queue closes
        log.close();
        queue.close();
        stores.close();
    }
}
