package dev.petrel.config;

import dev.petrel.bounce.BounceRule;
import dev.petrel.bounce.ThrottleRule;
import dev.petrel.event.LogLines;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective configuration: the file's values over the defaults. Every setting has a default; the README's
 * configuration reference lists them all.
 *
 * @param storeUrl where accounts live: "embedded" (SQLite in the data folder) or "postgresql://host:port/db?..."
 */
public record Config(
        String hostname,
        Path dataDir,
        List<Listener> listeners,
        Tls tls,
        List<String> nameservers,
        List<String> relayNetworks,
        boolean hold,
        List<String> localDomains,
        Limits limits,
        Timeouts timeouts,
        Http http,
        int remotePort,
        LocalDelivery localDelivery,
        Delivery delivery,
        MailAuth mailAuth,
        String storeUrl,
        Bounce bounce,
        Reputation reputation,
        Log log,
        Acme acme,
        List<Milter> milters,
        boolean dnssec,
        Reports reports,
        Cluster cluster) {

    /** Without {@code [cluster]}: the node is named after the host name, with the default lease. */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl, Bounce bounce, Reputation reputation, Log log, Acme acme,
                  List<Milter> milters, boolean dnssec, Reports reports) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, bounce, reputation, log, acme, milters, dnssec,
                reports, Cluster.defaults(hostname));
    }

    /**
     * Without {@code [dns] dnssec} (the nameservers' AD bit is not believed, so DANE never applies) and without
     * {@code [reports]} (their defaults for the host name: none sent).
     */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl, Bounce bounce, Reputation reputation, Log log, Acme acme,
                  List<Milter> milters) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, bounce, reputation, log, acme, milters, false,
                Reports.defaults(hostname));
    }

    /** Without milters. */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl, Bounce bounce, Reputation reputation, Log log, Acme acme) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, bounce, reputation, log, acme, List.of());
    }

    /** Without ACME: the {@code [tls]} certificate or the self-signed pair. */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl, Bounce bounce, Reputation reputation, Log log) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, bounce, reputation, log, Acme.NONE);
    }

    /** With the log's defaults: key=value lines at level info. */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl, Bounce bounce, Reputation reputation) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, bounce, reputation, Log.DEFAULT);
    }

    /** With the reputation guard's defaults. */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl, Bounce bounce) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, bounce, Reputation.DEFAULT);
    }

    /** Without a {@code [bounce]} section: no VERP, no complaints addresses, Feedback-ID sender id "petrel". */
    public Config(String hostname, Path dataDir, List<Listener> listeners, Tls tls, List<String> nameservers,
                  List<String> relayNetworks, boolean hold, List<String> localDomains, Limits limits,
                  Timeouts timeouts, Http http, int remotePort, LocalDelivery localDelivery, Delivery delivery,
                  MailAuth mailAuth, String storeUrl) {
        this(hostname, dataDir, listeners, tls, nameservers, relayNetworks, hold, localDomains, limits, timeouts, http,
                remotePort, localDelivery, delivery, mailAuth, storeUrl, Bounce.DEFAULT);
    }

    public Config {
        listeners = List.copyOf(listeners);
        nameservers = List.copyOf(nameservers);
        relayNetworks = List.copyOf(relayNetworks);
        localDomains = List.copyOf(localDomains);
        milters = List.copyOf(milters);
    }

    /**
     * A {@code [[milters]]} filter, asked in the order of the file at each SMTP stage of sessions on listeners of
     * its roles.
     *
     * @param address "inet:host:port" or "unix:/path", as Postfix's smtpd_milters writes them
     * @param connectTimeout to connect and settle OPTNEG (Postfix's milter_connect_timeout, 30s)
     * @param commandTimeout to answer one command (milter_command_timeout, 30s)
     * @param totalTimeout to answer the whole message, from DATA to the verdict on it (milter_content_timeout, 300s)
     * @param defaultAction what a session does when the filter cannot be reached or breaks the protocol
     */
    public record Milter(String address, Duration connectTimeout, Duration commandTimeout, Duration totalTimeout,
                         MilterDefault defaultAction, Set<Role> roles) {
        public Milter {
            roles = Set.copyOf(roles);
        }
    }

    /** Postfix's milter_default_action: accept, tempfail (the default) or reject. */
    public enum MilterDefault { ACCEPT, TEMPFAIL, REJECT }

    /** A listening socket, what sessions on it may do, and whether a proxy in front of it speaks first. */
    public record Listener(String host, int port, Role role, ProxyProtocol proxy) {

        /** Without a proxy in front. */
        public Listener(String host, int port, Role role) {
            this(host, port, role, ProxyProtocol.OFF);
        }
    }

    /**
     * The PROXY protocol on a listener (HAProxy's, versions 1 and 2), as Postfix's smtpd_upstream_proxy_protocol:
     * every connection must come from a trusted proxy and start with the header, which names the real client.
     *
     * @param enabled the listener expects the header
     * @param trustedProxies the networks the proxies connect from; any other address is dropped
     * @param timeout how long the header may take to arrive (Postfix's smtpd_upstream_proxy_timeout, 5s)
     */
    public record ProxyProtocol(boolean enabled, List<String> trustedProxies, Duration timeout) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        public static final ProxyProtocol OFF = new ProxyProtocol(false, List.of(), DEFAULT_TIMEOUT);

        public ProxyProtocol {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    public enum Role {
        /** Port 25: mail for local domains from anyone, STARTTLS offered, no relay without relay_networks. */
        MX,
        /** Port 587: STARTTLS, then AUTH before MAIL (RFC 6409). */
        SUBMISSION,
        /** Port 465: TLS from the first byte, then as submission (RFC 8314). */
        SUBMISSIONS
    }

    /**
     * The HTTP listener: send API, admin API, unsubscribe pages, {@code /metrics} and the dashboard.
     *
     * @param publicUrl how recipients and webhooks' readers reach it (links in mail), without a trailing slash
     * @param tls serve HTTPS with the {@code [tls]} certificate
     * @param maxBody the largest request body taken; larger ones are answered 413
     * @param webhookAllowPrivate webhooks may post to plain http and to loopback or private addresses
     * @param batchMessages the most messages of one {@code POST /v1/messages/batch}
     * @param idempotencyWindow how long an {@code Idempotency-Key} is remembered with its answer
     * @param messageRetention how long {@code GET /v1/messages/{id}} can tell of a message after it was queued
     * @param unsubscribeValidity how long after sending a broadcast message's unsubscribe link works (at least
     *                            60 days, CASL 11(3))
     */
    public record Http(String host, int port, String publicUrl, boolean tls, long maxBody,
                       boolean webhookAllowPrivate, int batchMessages, Duration idempotencyWindow,
                       Duration messageRetention, Duration unsubscribeValidity) {

        public static final int DEFAULT_BATCH_MESSAGES = 500;
        public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
        public static final Duration DEFAULT_MESSAGE_RETENTION = Duration.ofDays(30);
        public static final Duration DEFAULT_UNSUBSCRIBE_VALIDITY = Duration.ofDays(365);
        /** CASL 11(3): an unsubscribe mechanism works for at least 60 days after the message is sent. */
        public static final Duration MIN_UNSUBSCRIBE_VALIDITY = Duration.ofDays(60);

        public Http(String host, int port, String publicUrl, boolean tls, long maxBody, boolean webhookAllowPrivate) {
            this(host, port, publicUrl, tls, maxBody, webhookAllowPrivate, DEFAULT_BATCH_MESSAGES,
                    DEFAULT_IDEMPOTENCY_WINDOW, DEFAULT_MESSAGE_RETENTION, DEFAULT_UNSUBSCRIBE_VALIDITY);
        }
    }

    /** PEM files; both null means a self-signed pair made once in the data folder. */
    public record Tls(Path certificate, Path privateKey) {}

    /**
     * Certificates from an ACME CA (RFC 8555), for the listeners' TLS and HTTPS in place of {@code [tls]}.
     *
     * @param directory the CA's directory URL; null when ACME is off
     * @param contact the account's contact email; empty for none
     * @param names the DNS names the certificate covers; the first is its subject
     * @param acceptTerms the operator agrees to the CA's terms of service (the CA refuses an account without)
     * @param renewBefore how long before the certificate's expiry it is renewed
     * @param checkInterval how often the expiry is looked at
     * @param challenge "http-01", answered on the HTTP listener (the only one so far)
     * @param trust a PEM file of CA certificates trusted for the directory's HTTPS besides the system's; null for none
     */
    public record Acme(URI directory, String contact, List<String> names, boolean acceptTerms,
                       Duration renewBefore, Duration checkInterval, String challenge, Path trust) {

        public static final Acme NONE = new Acme(null, "", List.of(), false, Duration.ofDays(30), Duration.ofHours(12),
                "http-01", null);

        public Acme {
            names = List.copyOf(names);
        }

        public boolean enabled() {
            return directory != null;
        }
    }

    public record Limits(
            long messageSize,
            int recipients,
            int lineLength,
            int errors,
            int connections,
            int connectionsPerClient,
            int authFailures,
            Duration authFailureWindow,
            int hops,
            long queueReserve) {

        /** Heap set aside per connection for the default limit: an idle one costs about 4 KiB, a busy one more. */
        public static final long CONNECTION_BUDGET = 16 << 10;

        /**
         * The default limit on connections: as many as the heap holds at {@link #CONNECTION_BUDGET} each (16,384
         * with the launcher's 256 MiB), and never fewer than 1,000.
         */
        public static int defaultConnections() {
            return (int) Math.max(1000, Math.min(1_000_000, Runtime.getRuntime().maxMemory() / CONNECTION_BUDGET));
        }

        /** The default reserve: a file system with less free than this takes no more mail. */
        public static final long DEFAULT_QUEUE_RESERVE = 64L << 20;

        public Limits(long messageSize, int recipients, int lineLength, int errors, int connections,
                      int connectionsPerClient, int authFailures, Duration authFailureWindow, int hops) {
            this(messageSize, recipients, lineLength, errors, connections, connectionsPerClient, authFailures,
                    authFailureWindow, hops, DEFAULT_QUEUE_RESERVE);
        }
    }

    /**
     * Delivery to other servers: how many transactions one destination site gets at once, how many recipients
     * go in one transaction, the retry schedule, and how long a connection may take.
     */
    /**
     * Delivery to other servers.
     *
     * @param attemptsInFlight messages attempted at once (each holds its content in memory)
     * @param messagesPerConnection messages sent over one connection before it is closed
     * @param connectionIdle how long an idle connection waits for the next message to its site (Postfix's
     *                       smtp_connection_cache_time_limit)
     * @param retryJitter the share of each retry interval added or taken at random, so retries spread out
     * @param siteBackoff how long a site that answered nobody is left alone at first; doubled each time, up to
     *                    maxRetry
     * @param timeouts how long the client waits in each phase of a session (RFC 5321 4.5.3.2); LMTP too
     * @param streamRefresh how soon delivery sees a change to a stream (paused, resumed, sandbox, egress)
     * @param egress the named pools of source addresses and EHLO names that streams send from
     */
    public record Delivery(
            int siteConcurrency,
            int recipientsPerTransaction,
            Duration firstRetry,
            Duration maxRetry,
            Duration lifetime,
            Duration delayNotice,
            Duration connectTimeout,
            List<String> requireTls,
            int siteMessageRate,
            boolean mtaSts,
            int attemptsInFlight,
            int messagesPerConnection,
            Duration connectionIdle,
            double retryJitter,
            Duration siteBackoff,
            ClientTimeouts timeouts,
            Duration streamRefresh,
            List<EgressPool> egress,
            boolean dane) {

        /** With DANE (RFC 7672), which applies when {@code [dns] dnssec} says the resolver validates. */
        public Delivery(int siteConcurrency, int recipientsPerTransaction, Duration firstRetry, Duration maxRetry,
                        Duration lifetime, Duration delayNotice, Duration connectTimeout, List<String> requireTls,
                        int siteMessageRate, boolean mtaSts, int attemptsInFlight, int messagesPerConnection,
                        Duration connectionIdle, double retryJitter, Duration siteBackoff, ClientTimeouts timeouts,
                        Duration streamRefresh, List<EgressPool> egress) {
            this(siteConcurrency, recipientsPerTransaction, firstRetry, maxRetry, lifetime, delayNotice,
                    connectTimeout, requireTls, siteMessageRate, mtaSts, attemptsInFlight, messagesPerConnection,
                    connectionIdle, retryJitter, siteBackoff, timeouts, streamRefresh, egress, true);
        }

        public Delivery {
            requireTls = List.copyOf(requireTls);
            egress = List.copyOf(egress);
        }

        public Delivery(int siteConcurrency, int recipientsPerTransaction, Duration firstRetry, Duration maxRetry,
                        Duration lifetime, Duration delayNotice, Duration connectTimeout, List<String> requireTls) {
            this(siteConcurrency, recipientsPerTransaction, firstRetry, maxRetry, lifetime, delayNotice, connectTimeout,
                    requireTls, 0, true, 100, 100, Duration.ofSeconds(2), 0.2, Duration.ofMinutes(1),
                    ClientTimeouts.RFC5321, Duration.ofSeconds(2), List.of());
        }

        /** The pool of this name, if one is configured. */
        public java.util.Optional<EgressPool> pool(String name) {
            return egress.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    /**
     * A named pool that streams send from ({@code [[delivery.egress]]}): the source addresses remote delivery
     * binds, taken in turn, and the name it gives in EHLO. One named "default" is what mail without a stream, and
     * streams without an egress of their own, use.
     *
     * @param sources IP address literals; empty: the system chooses
     * @param ehlo the EHLO name; null: {@code hostname}
     */
    public record EgressPool(String name, List<String> sources, String ehlo) {
        public EgressPool {
            sources = List.copyOf(sources);
        }
    }

    /** The client's timeout for each reply (and each write of content), RFC 5321 4.5.3.2's names and values. */
    public record ClientTimeouts(Duration greeting, Duration ehlo, Duration mail, Duration rcpt, Duration dataInit,
                                 Duration dataBlock, Duration finalDot) {

        public static final ClientTimeouts RFC5321 = new ClientTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3),
                Duration.ofMinutes(10));
    }

    /**
     * Delivery to the mailboxes of local domains.
     *
     * @param maildir where a mailbox lives, under the data folder unless absolute: %d domain, %n local part,
     *                %u whole address (Dovecot's variables)
     * @param recipientDelimiter the characters that start a sub-address (user+tag), like Postfix's
     *                           recipient_delimiter; empty for none
     * @param caseSensitive local parts match only with the same case (RFC 5321 2.4 lets each host choose)
     * @param overQuotaGrace how long a message waits for room in a full mailbox before it bounces (5.2.2)
     * @param transports domain to transport: "maildir" (the default) or "lmtp:host:port" / "lmtp:unix:/path"
     */
    public record LocalDelivery(
            String maildir,
            String recipientDelimiter,
            boolean caseSensitive,
            Duration overQuotaGrace,
            Map<String, String> transports) {

        public LocalDelivery {
            transports = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(transports));
        }
    }

    /**
     * What the authentication results of mail from elsewhere may do.
     *
     * @param dmarcReject refuse a message that fails DMARC when its domain asks for p=reject (550 5.7.1)
     * @param temperrorDefer answer 451 when SPF, DKIM or DMARC could not be checked now
     */
    public record MailAuth(boolean dmarcReject, boolean temperrorDefer, boolean dmarcQuarantine) {

        /** Without holding messages that fail DMARC under p=quarantine. */
        public MailAuth(boolean dmarcReject, boolean temperrorDefer) {
            this(dmarcReject, temperrorDefer, false);
        }
    }

    /**
     * The reports Petrel sends to other domains once a day ({@code [reports]}).
     *
     * @param organization who makes them (a report's {@code org_name}); default: the host name's domain
     * @param from the From and envelope sender of report mail; default {@code noreply-reports@HOSTNAME}
     * @param contact more contact information (a report's {@code extra_contact_info}); empty for none
     * @param dmarc record the DMARC verdicts of inbound mail and send aggregate reports (RFC 7489 7.2) to the
     *              domains whose record asks with {@code rua}; off by default
     */
    /**
     * Bounces and feedback from receivers (issue 17).
     *
     * @param domain the bounce domain: tenant mail's envelope senders are VERP addresses on it, and the mx
     *               listener takes DSNs and complaints sent to them; empty for none
     * @param complaints addresses that take ARF complaints (as registered with providers' feedback loops)
     * @param feedbackId the SenderId of the Feedback-ID header of tenant mail; empty for no header
     * @param rulesFile the operator's classification rules file, tried before the rules that ship with Petrel; null
     *                  for none
     * @param rules the rules read from it, in its order
     * @param throttles its {@code [[throttle]]} rules (reply-driven shaping), in its order
     */
    public record Bounce(String domain, List<String> complaints, String feedbackId, Path rulesFile,
                         List<BounceRule> rules, List<ThrottleRule> throttles) {

        public static final Bounce DEFAULT = new Bounce("", List.of(), "petrel", null, List.of(), List.of());

        public Bounce {
            complaints = List.copyOf(complaints);
            rules = List.copyOf(rules);
            throttles = List.copyOf(throttles);
        }

        /** Without throttle rules of the operator's. */
        public Bounce(String domain, List<String> complaints, String feedbackId, Path rulesFile,
                      List<BounceRule> rules) {
            this(domain, complaints, feedbackId, rulesFile, rules, List.of());
        }

        /** Feedback settings with the shipped classification rules only. */
        public Bounce(String domain, List<String> complaints, String feedbackId) {
            this(domain, complaints, feedbackId, null, List.of());
        }

        /** The shipped feedback defaults with an operator's classification rules. */
        public Bounce(Path rulesFile, List<BounceRule> rules) {
            this(DEFAULT.domain, DEFAULT.complaints, DEFAULT.feedbackId, rulesFile, rules);
        }
    }

    /**
     * The reputation guard: a stream whose hard bounces or complaints over the window are over their threshold,
     * once it sent to {@code minVolume} recipients in it, is paused.
     *
     * @param hardBounceRate hard bounces per recipient delivered or bounced, above which a stream is paused
     * @param complaintRate complaints per recipient, above which a stream is paused (Gmail's ceiling: 0.3%)
     */
    /**
     * {@code [reports]}: the daily reports Petrel sends to other domains, and how it signs them.
     *
     * @param organization the organization-name of a report (RFC 8460 4.4)
     * @param from the sender of reports (From and the envelope), which they are DKIM-signed for when there is a key
     * @param contact the contact-info of a report; empty for none
     * @param tls TLS reports (RFC 8460) of outbound TLS results, daily to each recipient domain that asks for them
     */
    public record Reports(String organization, String from, String contact, boolean tls, boolean dmarc) {

        /** For a host name: its domain as the organization, noreply-reports@HOSTNAME as the sender, nothing sent. */
        public static Reports defaults(String hostname) {
            int dot = hostname.indexOf('.');
            String domain = dot > 0 && hostname.indexOf('.', dot + 1) > 0 ? hostname.substring(dot + 1) : hostname;
            return new Reports(domain, "noreply-reports@" + hostname, "", false, false);
        }
    }

    /**
     * {@code [cluster]}: this process as one node of several sharing the queue on PostgreSQL.
     *
     * @param node this node's name, unique among the live nodes of a database (default: the host name)
     * @param lease how long a node's mail stays its own after its last heartbeat (it beats every lease/3): then
     *              other nodes take it over
     */
    public record Cluster(String node, Duration lease) {

        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

        public static Cluster defaults(String hostname) {
            return new Cluster(hostname, DEFAULT_LEASE);
        }
    }

    /** {@code [log]}: how {@code petrel serve} writes its log, and which lines it keeps. */
    public record Log(LogLines.Format format, LogLines.Level level) {
        public static final Log DEFAULT = new Log(LogLines.Format.KEY_VALUE, LogLines.Level.INFO);
    }

    public record Reputation(boolean enabled, Duration window, int minVolume, double hardBounceRate,
                             double complaintRate) {
        public static final Reputation DEFAULT = new Reputation(true, Duration.ofHours(24), 500, 0.05, 0.003);
    }

    /**
     * RFC 5321 4.5.3.2: how long the server waits in each phase; and at SIGTERM, how long sessions in flight
     * may take to finish ({@code drain}) before they are closed.
     */
    public record Timeouts(
            Duration helo,
            Duration mail,
            Duration rcpt,
            Duration dataBlock,
            Duration auth,
            Duration tlsHandshake,
            Duration drain) {

        public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

        public Timeouts(Duration helo, Duration mail, Duration rcpt, Duration dataBlock, Duration auth,
                        Duration tlsHandshake) {
            this(helo, mail, rcpt, dataBlock, auth, tlsHandshake, DEFAULT_DRAIN);
        }
    }

    public String maildir() {
        return localDelivery.maildir();
    }

    public Path queueDir() {
        return dataDir.resolve("queue");
    }

    /** The SQLite database of the embedded store ({@code [store] url = "embedded"}). */
    public Path databaseFile() {
        return dataDir.resolve("petrel.db");
    }

    public Path controlSocket() {
        return dataDir.resolve("control.sock");
    }
}
