package dev.petrel.cli;

import dev.petrel.account.Directory;
import dev.petrel.account.LocalRecipients;
import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.compliance.UnsubscribeRequests;
import dev.petrel.config.Config;
import dev.petrel.delivery.Dispatcher;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.event.EventMetrics;
import dev.petrel.event.EventSink;
import dev.petrel.event.FeedReader;
import dev.petrel.event.LogSink;
import dev.petrel.intake.AuthenticationPolicy;
import dev.petrel.intake.Intake;
import dev.petrel.intake.SealingDoor;
import dev.petrel.mailauth.ArcVerifier;
import dev.petrel.mailauth.DkimVerifier;
import dev.petrel.mailauth.DmarcChecker;
import dev.petrel.mailauth.InboundChecks;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.mailauth.SpfChecker;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.mail.QueueId;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.policy.Client;
import dev.petrel.policy.ConnectionLimiter;
import dev.petrel.policy.KeySending;
import dev.petrel.policy.Network;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueActions;
import dev.petrel.queue.Scheduler;
import dev.petrel.report.DailyReports;
import dev.petrel.server.AcmeCertificates;
import dev.petrel.server.MilterOptions;
import dev.petrel.server.ProxyProtocol;
import dev.petrel.server.Role;
import dev.petrel.server.ServerCertificate;
import dev.petrel.server.ServerOptions;
import dev.petrel.server.SmtpServer;
import dev.petrel.store.CachedAccounts;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Tenancy;
import dev.petrel.web.AccessGate;
import dev.petrel.web.AcmeChallengeRoutes;
import dev.petrel.web.AdminGate;
import dev.petrel.web.Dashboard;
import dev.petrel.web.DashboardSessions;
import dev.petrel.web.HttpSurface;
import dev.petrel.web.Traffic;
import dev.petrel.web.Router;
import dev.petrel.web.WebServer;
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
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One running Petrel: the only place where implementations are chosen and wired together from a
 * {@link Config}. Tests start it with port 0 listeners and a folder of their own.
 */
public final class Petrel implements AutoCloseable {

    private final Config config;
    private final Stores stores;
    private final QueueStore queue;
    private final SmtpServer server;
    private final ControlServer control;
    private final WebServer web;
    private final InetSocketAddress httpAddress;
    private final Dispatcher delivery;
    private final FeedReader log;
    private final FeedReader traffic;
    private final Metrics metrics;
    private final WebhookWiring webhooks;
    private final LimitsWiring sendLimits;
    private final SendWiring send;
    private final SuppressionWiring suppressions;
    private final ConsentWiring consents;
    private final List<InetSocketAddress> addresses;
    private final List<Reloadable.Named> reloadables;
    private final AcmeCertificates acme;
    private final DailyReports reports;
    private boolean closed;

    private Petrel(Config config, Stores stores, QueueStore queue, SmtpServer server, ControlServer control,
                   WebServer web, InetSocketAddress httpAddress, Dispatcher delivery, FeedReader log,
                   FeedReader traffic, Metrics metrics, WebhookWiring webhooks, LimitsWiring sendLimits,
                   SendWiring send, SuppressionWiring suppressions, ConsentWiring consents,
                   List<InetSocketAddress> addresses,
                   List<Reloadable.Named> reloadables, AcmeCertificates acme, DailyReports reports) {
        this.acme = acme;
        this.reports = reports;
        this.metrics = metrics;
        this.config = config;
        this.stores = stores;
        this.queue = queue;
        this.server = server;
        this.control = control;
        this.web = web;
        this.httpAddress = httpAddress;
        this.delivery = delivery;
        this.log = log;
        this.traffic = traffic;
        this.webhooks = webhooks;
        this.sendLimits = sendLimits;
        this.send = send;
        this.suppressions = suppressions;
        this.consents = consents;
        this.addresses = addresses;
        this.reloadables = List.copyOf(reloadables);
    }

    /** What {@link #stop} left unfinished when its time was up. */
    public record Stopped(int sessionsCut, boolean deliveriesCut) {}

    /**
     * A client that renegotiates TLS again and again makes the server do handshakes for nothing (a denial of
     * service; testssl.sh: secure_client_renego). JSSE refuses it when this property is set before its first
     * handshake; TLS 1.3 has no renegotiation at all.
     */
    static void refuseClientRenegotiation() {
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    public static Petrel start(Config config, PrintStream log) throws IOException {
        return start(config, log, Clock.systemUTC());
    }

    /** A server on a clock of the caller's: tests move it to see rules bound to time (a consent running out). */
    public static Petrel start(Config config, PrintStream log, Clock clock) throws IOException {
        refuseClientRenegotiation();
        // secrets (salts, SCRAM nonces) need a secure generator; queue ids and Message-IDs only need to be
        // unique, which time already makes them, and a fast thread-safe one keeps a lock off the hot path
        RandomGenerator random = new SecureRandom();
        RandomGenerator fast = ThreadLocalRandom.current();
        Files.createDirectories(config.dataDir());
        ServerCertificate certificate = ServerCertificate.open(config.tls().certificate(), config.tls().privateKey(),
                config.dataDir().resolve("tls"), config.hostname());
        // [acme]: a certificate kept from before is used at once; the first check runs once HTTP listens
        AcmeCertificates acme = AcmeWiring.certificates(config, certificate, clock, log);
        // every read goes to the database: the server sees at once what `petrel user|domain|alias` changed
        Stores stores = stores(config);
        Metrics metrics = new Metrics();
        QueueStore queue;
        try {
            queue = Queues.open(config, clock, fast, metrics.registry());
        } catch (IOException | RuntimeException e) {
            metrics.close();
            stores.close();
            throw e;
        }
        FeedReader logReader = null;
        FeedReader trafficReader = null;
        WebhookWiring webhooks = null;
        LimitsWiring sendLimits = null;
        SendWiring send = null;
        SuppressionWiring suppressions = null;
        ConsentWiring consents = null;
        DailyReports reports = null;
        try {
            // the log reads the event feed in order, from where it stopped; refusals are written to the feed too
            logReader = FeedReader.start("log", queue, queue, new LogSink(log), Duration.ofSeconds(1));
            // so do the metrics' counters of events; queue depth and feed lag are gauges read when scraped
            metrics.watch(queue, queue, queue, clock);
            // webhooks read the feed by a cursor of their own; what they owe is in the store before it moves
            webhooks = WebhookWiring.start(config, stores, queue, queue, clock, random, metrics.events()::webhookDelivery);
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
            // broadcast mail's links; VERP, Feedback-ID, and the reports receivers send back (DSNs, ARF
            // complaints) and mail to the links' mailto address, as events
            UnsubscribeLinks unsubscribe = FeedbackWiring.links(config, stores.tenants(), stores.streams(), clock);
            FeedbackWiring feedback = FeedbackWiring.of(config, stores.tenants(), stores.streams(), queue::record,
                    new UnsubscribeRequests(unsubscribe, queue, clock), clock, log, metrics.registry());
            // keys are read from the store at each use, never cached: a revoked key fails at once
            Tenancy tenancy = tenancy(config, stores, clock);
            // the consent ledger: withdrawals from the feed's unsubscribes, asked for broadcast mail before the queue
            consents = ConsentWiring.start(stores, tenancy, queue, queue, refusals, clock);
            Intake intake = new Intake(queue, refusals, clock, fast, config.hostname(), config.limits().hops(),
                    dkimKeys, inboundChecks(config, clock, fast),
                    new AuthenticationPolicy(config.mailAuth().dmarcReject(), config.mailAuth().temperrorDefer(),
                            config.mailAuth().dmarcQuarantine()),
                    config.hold(), scheduler, config.limits().queueReserve(), feedback.tenantMail, unsubscribe,
                    consents.ledger(), ReportWiring.aggregates(config, stores));
            Config.Limits limits = config.limits();
            LocalRecipients recipients = DeliveryWiring.recipients(config, accounts);
            // the suppression lists: fed from the event feed by a cursor of their own, asked before the queue
            // and the reputation guard, which pauses a stream whose hard bounces or complaints are too many
            suppressions = SuppressionWiring.start(stores, tenancy, queue, queue, refusals, clock,
                    config.reputation());
            // tenants' and streams' rates and quotas: limits read again every second, counts written as often
            sendLimits = LimitsWiring.start(stores, tenancy, clock, metrics.registry(),
                    line -> System.err.println("petrel: " + line));
            KeySending keySending = new KeySending(tenancy, sendLimits.limits());
            RelayPolicy policy = new RelayPolicy(accounts.users(), recipients,
                    config.relayNetworks().stream().map(Network::parse).toList(), keySending,
                    feedback.recipients, suppressions.check(), consents.check());
            SmtpServer server = new SmtpServer(options(config), certificate.context(),
                    new ConnectionLimiter(limits.connections(), limits.connectionsPerClient(),
                            address -> policy.inRelayNetworks(new Client(address, null))),
                    new AuthFailureLimiter(limits.authFailures(), limits.authFailureWindow(), clock),
                    policy, intake, new KeyAuthenticator(tenancy, new AccountAuthenticator(accounts.users())), refusals, clock, random,
                    metrics.registry());
            // each stream's egress, pause and sandbox, read again at most stream_refresh later
            StreamDepartures departures = new StreamDepartures(stores.streams(), config.delivery().egress(),
                    config.delivery().streamRefresh(), clock);
            reloadables.add(new Reloadable.Named("streams", departures::clear));
            Consumer<String> logLine = line -> {
                synchronized (log) {
                    log.println(line);
                }
            };
            // aliases' copies to other servers are sealed (ARC) with their domain's DKIM key on the way in
            Dispatcher delivery = DeliveryWiring.dispatcher(config, queue, scheduler,
                    new SealingDoor(intake, dkimKeys, config.hostname(), clock, logLine), recipients, departures,
                    clock, fast, metrics.registry(), feedback.bounces, logLine,
                    ReportWiring.tlsResults(config, stores));
            delivery.start(Queues.claims(config, queue, logLine));
            List<InetSocketAddress> bound = server.start();
            QueueActions actions = new QueueActions(queue, new QueueActions.Delivery() {
                @Override
                public int flush() {
                    return delivery.flush();
                }

                @Override
                public void released(QueueId id) throws IOException {
                    delivery.released(id);
                }
            }, clock, Queues.nodes(queue));
            Directory directory = directory(config, stores, clock);
            ServerHealth health = new ServerHealth(queue, () -> storeProblems(directory));
            reports = ReportWiring.start(config, stores, intake, clock, random, logLine);
            ControlServer control = ControlServer.start(config.controlSocket(), queue, intake, actions, health,
                    reports);
            Traffic traffic = new Traffic();
            trafficReader = DashboardWiring.count(queue, traffic);
            // the send API: the same key rules and recipient checks as SMTP; suppressions and consents, then the send
            // limits, once per message
            send = SendWiring.start(config, stores, queue, intake, keySending, policy,
                    suppressions.admission().then(consents.admission()).then(sendLimits.admission()), clock, fast);
            WebServer web = web(config, certificate, directory, actions, queue, metrics, clock, log,
                    new Web(traffic, delivery, webhooks.operations(), random, tenancy, withLinks(send.parts(),
                            unsubscribe), suppressions.list(), consents.ledger(), AcmeWiring.challenges(acme)));
            InetSocketAddress httpAddress;
            try {
                httpAddress = web.start();
            } catch (IOException e) {
                control.close();
                throw new IOException("[http] address " + config.http().host() + ":" + config.http().port() + ": "
                        + e.getMessage(), e);
            }
            health.listening(config.listeners(), bound, httpAddress, config.http().tls());
            AcmeWiring.start(acme);
            return new Petrel(config, stores, queue, server, control, web, httpAddress, delivery, logReader,
                    trafficReader, metrics, webhooks, sendLimits, send, suppressions, consents, bound, reloadables,
                    acme, reports);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(e, acme, webhooks, sendLimits, send, suppressions, consents, logReader, trafficReader,
                    reports);
            metrics.close();
            queue.close();
            stores.close();
            throw e;
        }
    }

    // what start had begun (the parts not yet made are null), closed before its failure is thrown
    private static void closeAfterFailure(Exception failure, AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static InboundChecks inboundChecks(Config config, Clock clock, RandomGenerator random) {
        DnsjavaResolver resolver = DeliveryWiring.resolver(config, clock);
        DkimVerifier dkim = new DkimVerifier(resolver, clock);
        return new InboundChecks(dkim, new SpfChecker(resolver),
                new DmarcChecker(resolver, PublicSuffixList.bundled(), random), new ArcVerifier(dkim));
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

    /** What the dashboard shows beyond the admin API's parts. */
    private record Web(Traffic traffic, Dispatcher delivery, WebhookOperations webhooks, RandomGenerator random,
                       Tenancy tenancy, HttpSurface.SendParts send, SuppressionList suppressions,
                       ConsentLedger consents, AcmeChallengeRoutes.Challenges acme) {}

    // the HTTP listener: admin API, metrics, health, the dashboard, and what later parts add
    private static WebServer web(Config config, ServerCertificate certificate, Directory directory,
                                 QueueActions actions, QueueStore queue, Metrics metrics, Clock clock,
                                 PrintStream log, Web more) {
        Config.Http http = config.http();
        Router router = HttpSurface.router(new HttpSurface.Parts(directory, actions, queue, more.webhooks(),
                more.tenancy(), metrics::scrape,
                () -> storeProblems(directory), clock, log::println,
                new ReadinessChecks(config, directory, more.tenancy(), DeliveryWiring.resolver(config, clock))),
                more.send(), new HttpSurface.ComplianceParts(more.suppressions(), more.consents()), more.acme());
        Config.Limits limits = config.limits();
        // sessions live in memory: a restart signs every operator out
        DashboardSessions sessions = new DashboardSessions(more.random(), clock, DashboardWiring.SESSION_IDLE,
                http.tls());
        // admin tokens and API keys count their failures together, per client address
        AuthFailureLimiter failures = new AuthFailureLimiter(limits.authFailures(), limits.authFailureWindow(), clock);
        AdminGate gate = new AdminGate(directory, failures, limits.authFailureWindow(), sessions);
        new Dashboard(new Dashboard.Parts(gate, sessions, actions, queue, more.traffic(),
                DashboardWiring.sites(more.delivery().throttle()), DashboardWiring.webhooks(more.webhooks()), clock,
                log::println))
                .addTo(router);
        return new WebServer(new WebServer.Settings(http.host(), http.port(), http.tls() ? certificate.context() : null,
                http.maxBody()), router, new AccessGate(gate, more.tenancy()::verifyKey, failures));
    }

    // the send API's parts with the unsubscribe links, for the unsubscribe routes
    private static HttpSurface.SendParts withLinks(HttpSurface.SendParts p, UnsubscribeLinks links) {
        return new HttpSurface.SendParts(p.sending(), p.batchMessages(), p.idempotencyKeys(), p.idempotencyWindow(),
                p.messageLog(), p.catchUp(), links);
    }

    private static List<String> storeProblems(Directory directory) {
        try {
            directory.domains();
            return List.of();
        } catch (RuntimeException e) {
            return List.of("the store does not answer: " + e.getMessage());
        }
    }

    /** The account operations on these stores, as the command line and the admin API use them. */
    static Directory directory(Config config, Stores stores, Clock clock) {
        SecureRandom random = new SecureRandom();
        return new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(),
                new DnsDkimTools(DeliveryWiring.resolver(config, clock), clock, random), stores.adminTokens(), clock,
                random);
    }

    /** The tenant operations on these stores, as the command line and the APIs use them. */
    static Tenancy tenancy(Config config, Stores stores, Clock clock) {
        return new Tenancy(stores.tenants(), stores.streams(), stores.apiKeys(), directory(config, stores, clock), clock,
                new SecureRandom());
    }

    /** " tenant=NAME" after a listed user or domain of a tenant other than default (so lists read as before). */
    static String tenantNote(Optional<TenantId> tenant) {
        return tenant.filter(t -> !t.isDefault()).map(t -> " tenant=" + t).orElse("");
    }

    static ServerOptions options(Config c) {
        Config.Limits l = c.limits();
        Config.Timeouts t = c.timeouts();
        List<ServerOptions.Endpoint> endpoints = c.listeners().stream()
                .map(x -> new ServerOptions.Endpoint(x.host(), x.port(), Role.valueOf(x.role().name()),
                        ProxyProtocol.of(x.proxy().enabled(), x.proxy().trustedProxies(), x.proxy().timeout())))
                .toList();
        return new ServerOptions(c.hostname(), endpoints, l.messageSize(), l.recipients(), l.lineLength(), l.errors(),
                t.helo(), t.mail(), t.rcpt(), t.dataBlock(), t.auth(), t.tlsHandshake(),
                c.milters().stream().map(Petrel::milter).toList());
    }

    private static MilterOptions milter(Config.Milter m) {
        return new MilterOptions(m.address(), m.connectTimeout(), m.commandTimeout(), m.totalTimeout(),
                MilterOptions.DefaultAction.valueOf(m.defaultAction().name()),
                m.roles().stream().map(r -> Role.valueOf(r.name())).collect(java.util.stream.Collectors.toSet()));
    }

    /** The ACME certificates of {@code [acme]}; empty when it is off. */
    public Optional<AcmeCertificates> acme() {
        return Optional.ofNullable(acme);
    }

    /** The bound listener addresses, in the order of the configuration's listeners. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Where the HTTP listener listens. */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public SmtpServer server() {
        return server;
    }

    /** The report {@code petrel status} reads. */
    ServerHealth health() {
        return control.health();
    }

    public QueueStore queue() {
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
     * Every metric in the Prometheus text format (version 0.0.4), for {@code GET /metrics}: the counters since this
     * process started, the gauges as they are now (the queue's depth from a listing at most a few seconds old).
     */
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    /**
     * Where the webhook dispatcher counts its deliveries ({@code petrel_webhook_deliveries_total}), with
     * {@code webhookDelivery(result)}.
     */
    public EventMetrics eventMetrics() {
        return metrics.events();
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
        if (acme != null) {
            acme.close();
        }
        server.close();
        web.close();
        control.close();
        reports.close();
        delivery.close();
        webhooks.close();
        send.close();
        suppressions.close();
        consents.close();
        // the day's last counts, once no session can add to them
        sendLimits.close();
        // the log's last lines: every event written before the queue closes
        log.close();
        traffic.close();
        metrics.close();
        queue.close();
        stores.close();
    }
}
