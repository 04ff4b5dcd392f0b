package dev.petrel.cli;

import dev.petrel.account.LocalRecipients;
import dev.petrel.bounce.Classifier;
import dev.petrel.bounce.Throttles;
import dev.petrel.bounce.DsnBuilder;
import dev.petrel.config.Config;
import dev.petrel.delivery.Departures;
import dev.petrel.delivery.Dispatcher;
import dev.petrel.delivery.SiteRates;
import dev.petrel.delivery.SiteSlots;
import dev.petrel.delivery.SiteThrottle;
import dev.petrel.delivery.TlsResults;
import dev.petrel.delivery.Transport;
import dev.petrel.delivery.local.LmtpTarget;
import dev.petrel.delivery.local.LocalDelivery;
import dev.petrel.delivery.local.MaildirLayout;
import dev.petrel.delivery.local.Maildirs;
import dev.petrel.delivery.remote.DanePolicies;
import dev.petrel.delivery.remote.MtaStsPolicies;
import dev.petrel.delivery.remote.MtaStsTransport;
import dev.petrel.delivery.remote.PooledTransport;
import dev.petrel.delivery.remote.RemoteDelivery;
import dev.petrel.delivery.remote.RemoteSettings;
import dev.petrel.delivery.remote.RequireTlsTransport;
import dev.petrel.delivery.remote.TlsOutcome;
import dev.petrel.delivery.remote.TlsReporter;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.LoopGuard;
import dev.petrel.dns.MxRouter;
import dev.petrel.dns.Route;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.queue.Door;
import dev.petrel.store.CachedAccounts;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.Scheduler;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** Chooses and connects the parts of delivery to other servers, from the configuration. */
final class DeliveryWiring {

    private DeliveryWiring() {}

    static Dispatcher dispatcher(Config config, QueueStore queue, Scheduler scheduler, Door door,
                                 LocalRecipients recipients, Departures departures, Clock clock, RandomGenerator random,
                                 MeterRegistry meters, BounceAddresses bounces, Consumer<String> log,
                                 TlsResults tlsResults, SiteSlots slots, SiteRates siteRates)
            throws SocketException {
        Config.Delivery d = config.delivery();
        DnsjavaResolver resolver = resolver(config, clock);
        MxRouter router = new MxRouter(resolver, random,
                new LoopGuard(List.of(config.hostname()), ownAddresses(config)));
        RemoteSettings settings = RemoteSettings.of(config.hostname())
                .withPort(config.remotePort())
                .withTimeouts(clientTimeouts(d));
        // RFC 7672: DANE where the validating resolver ([dns] dnssec) says the MX hosts' TLSA records are secure
        DanePolicies dane = d.dane() ? new DanePolicies(resolver) : DanePolicies.OFF;
        Transport transport = remote(d, settings, MtaStsPolicies.of(resolver, settings, clock), dane,
                tlsOutcomes(meters), clock, tlsResults, slots);
        RetrySchedule retry = new RetrySchedule(d.firstRetry(), d.maxRetry(), d.lifetime(), d.delayNotice(),
                d.retryJitter());
        // reply-driven shaping: the [[throttle]] rules of the operator's rules file, then the shipped ones
        SiteThrottle throttle = new SiteThrottle(d.siteConcurrency(), d.siteBackoff(), d.maxRetry(),
                d.siteMessageRate(), clock, meters, Throttles.withRules(config.bounce().throttles()), log, siteRates);
        Domain own = Petrel.ownName(config.hostname());
        Address postmaster = own == null ? null : Address.of("postmaster@" + own);
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Parts(queue, scheduler, door, router, transport,
                local(config, door, recipients, clock), new DsnBuilder(config.hostname(), clock, random),
                Classifier.withRules(config.bounce().rules()), retry, throttle, postmaster, clock, random,
                d.recipientsPerTransaction(), d.attemptsInFlight(), departures, d.streamRefresh(), bounces));
        Gauge.builder("petrel.delivery.parked.messages", dispatcher, Dispatcher::parked)
                .description("Messages of paused streams held back from delivery until their stream is resumed")
                .register(meters);
        return dispatcher;
    }

    /** Remote delivery: a pool of connections, under MTA-STS (RFC 8461) and DANE (RFC 7672), under REQUIRETLS (RFC 8689). */
    private static Transport remote(Config.Delivery d, RemoteSettings settings, MtaStsPolicies sts, DanePolicies dane,
                                    Consumer<TlsOutcome> outcomes, Clock clock, TlsResults tlsResults,
                                    SiteSlots slots) {
        Set<Domain> requireTls = d.requireTls().stream().map(Domain::parse).collect(Collectors.toUnmodifiableSet());
        // RFC 8461: under an enforced MTA-STS policy, TLS with a verified certificate, as for require_tls
        Function<Domain, TlsPolicy> tlsPolicy = domain -> requireTls.contains(domain)
                || d.mtaSts() && sts.enforced(domain) ? TlsPolicy.REQUIRE : TlsPolicy.OPPORTUNISTIC;
        // like Postfix's connection cache: an idle connection waits a moment (connection_idle) for the next message
        PooledTransport pooled = new PooledTransport(new RemoteDelivery(settings, dane, outcomes, clock),
                d.siteConcurrency(), d.messagesPerConnection(), d.connectionIdle(), clock, tlsPolicy,
                new TlsReporter(tlsResults, d.mtaSts() ? sts : null, settings.trustStore(), clock), slots,
                d.siteConcurrency());
        // RFC 8689 4.2.1: REQUIRETLS mail needs MX hosts validated by MTA-STS or by DNSSEC (then DANE may
        // authenticate each host; the session checks that it did)
        return new RequireTlsTransport(d.mtaSts() ? new MtaStsTransport(pooled, sts, dane) : pooled,
                route -> d.mtaSts() && sts.enforced(route.destination()) || secure(route), tlsPolicy);
    }

    // every MX host of the route came from DNSSEC-validated answers (never true without [dns] dnssec)
    private static boolean secure(Route route) {
        return !route.hosts().isEmpty() && route.hosts().stream().allMatch(Route.Host::secure);
    }

    /** Counts each connection's TLS outcome by policy type (tlsa for DANE) and RFC 8460 result. */
    private static Consumer<TlsOutcome> tlsOutcomes(MeterRegistry meters) {
        return outcome -> Counter.builder("petrel.delivery.tls.connections")
                .description("Outbound connections by TLS policy (tlsa, sts, no-policy-found) and result")
                .tag("policy", outcome.policy().rfcName())
                .tag("result", outcome.succeeded() ? "success" : outcome.failure().rfcName())
                .tag("authenticated", Boolean.toString(outcome.authenticated()))
                .register(meters).increment();
    }

    // [delivery]'s timeouts, for SMTP and LMTP alike
    private static Timeouts clientTimeouts(Config.Delivery d) {
        Config.ClientTimeouts t = d.timeouts();
        return new Timeouts(d.connectTimeout(), t.greeting(), t.ehlo(), t.mail(), t.rcpt(), t.dataInit(), t.dataBlock(),
                t.finalDot());
    }

    /** The DNS as the configuration names it: its nameservers, or the system's. */
    static DnsjavaResolver resolver(Config config, Clock clock) {
        DnsjavaResolver.Settings dns = config.nameservers().isEmpty()
                ? DnsjavaResolver.Settings.system() : DnsjavaResolver.Settings.of(config.nameservers());
        return new DnsjavaResolver(dns.withDnssec(config.dnssec()), clock);
    }

    static LocalDelivery local(Config config, Door door, LocalRecipients recipients, Clock clock) {
        Config.LocalDelivery ld = config.localDelivery();
        Map<Domain, LmtpTarget> lmtp = new HashMap<>();
        ld.transports().forEach((domain, transport) -> {
            if (!transport.equals("maildir")) {
                lmtp.put(Domain.parse(domain), LmtpTarget.parse(transport));
            }
        });
        return new LocalDelivery(recipients, new MaildirLayout(config.dataDir(), ld.maildir()),
                new Maildirs(config.hostname(), clock), lmtp, config.hostname(), clientTimeouts(config.delivery()), door,
                clock, ld.overQuotaGrace());
    }

    /** Who the local domains' addresses are, as the configuration says to look them up. */
    static LocalRecipients recipients(Config config, CachedAccounts accounts) {
        return new LocalRecipients(accounts.users(), accounts.domains(), accounts.aliases(), Petrel.ownName(config.hostname()),
                config.localDelivery().recipientDelimiter(), config.localDelivery().caseSensitive());
    }

    /**
     * The addresses other servers reach us on for mail: those of listeners on the port delivery uses. An MX that
     * points at one of them is a loop (RFC 5321 5.1). A wildcard listener stands for every local address.
     */
    static List<InetAddress> ownAddresses(Config config) throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (Config.Listener l : config.listeners()) {
            if (l.port() != config.remotePort()) {
                continue;
            }
            try {
                InetAddress a = InetAddress.getByName(l.host());
                if (a.isAnyLocalAddress()) {
                    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        out.addAll(Collections.list(nif.getInetAddresses()));
                    }
                } else {
                    out.add(a);
                }
            } catch (UnknownHostException e) {
                // a listener address that does not resolve could not have been bound either
            }
        }
        return out;
    }
}
