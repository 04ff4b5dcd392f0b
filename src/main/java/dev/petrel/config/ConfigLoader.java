package dev.petrel.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.petrel.bounce.BounceRules;
import dev.petrel.event.LogLines;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.store.Stores;
import dev.petrel.policy.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the TOML configuration file over the built-in defaults. Unknown keys are errors, so a misspelt setting
 * is never silently ignored; every error names the setting and its line ({@code petrel.toml line 7: [limits]
 * recipients: expected a whole number from 1 to 100000, got "many"}). Without a file, the embedded defaults of
 * DESIGN.md apply.
 */
public final class ConfigLoader {

    private static final Set<String> TOP = Set.of("hostname", "data_dir", "listeners", "tls", "dns", "policy", "limits",
            "timeouts", "http", "delivery", "local_delivery", "domains", "mailauth", "store", "bounce", "reputation", "log",
            "acme", "milters", "reports", "cluster");
    private static final Set<String> LISTENER_KEYS = Set.of("address", "role", "proxy_protocol", "trusted_proxies",
            "proxy_timeout");
    private static final Set<String> TLS_KEYS = Set.of("certificate", "private_key");
    private static final Set<String> ACME_KEYS = Set.of("directory", "contact", "names", "accept_terms",
            "renew_before", "check_interval", "challenge", "trust");
    private static final Set<String> POLICY_KEYS = Set.of("relay_networks", "hold");
    private static final Set<String> LIMITS_KEYS = Set.of("message_size", "recipients", "line_length", "errors",
            "connections", "connections_per_client", "auth_failures", "auth_failure_window", "hops", "queue_reserve");
    private static final Set<String> TIMEOUTS_KEYS = Set.of("helo", "mail", "rcpt", "data_block", "auth",
            "tls_handshake", "drain");
    private static final Set<String> DELIVERY_KEYS = Set.of("remote_port", "site_concurrency",
            "recipients_per_transaction", "first_retry", "max_retry", "lifetime", "delay_notice", "connect_timeout",
            "require_tls", "site_message_rate", "mta_sts", "dane", "attempts_in_flight", "messages_per_connection",
            "connection_idle", "retry_jitter", "site_backoff", "greeting_timeout", "ehlo_timeout", "mail_timeout",
            "rcpt_timeout", "data_init_timeout", "data_block_timeout", "final_dot_timeout", "stream_refresh", "egress");
    private static final Set<String> EGRESS_KEYS = Set.of("name", "sources", "ehlo");
    private static final Set<String> HTTP_KEYS = Set.of("address", "public_url", "tls", "max_body",
            "webhook_allow_private", "batch_messages", "idempotency_window", "message_retention",
            "unsubscribe_validity");
    private static final Set<String> REPUTATION_KEYS = Set.of("enabled", "window", "min_volume", "hard_bounce_rate",
            "complaint_rate");
    private static final Set<String> LOCAL_DELIVERY_KEYS = Set.of("maildir", "recipient_delimiter", "case_sensitive",
            "over_quota_grace", "transports");

    private ConfigLoader() {}

    /** The configuration of a file, or the embedded defaults when {@code file} is null. */
    public static Config load(Path file) throws IOException {
        if (file == null) {
            return fromTree(new TomlMapper().createObjectNode(), Path.of("."));
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file");
        }
        return read(Files.readString(file), file.toAbsolutePath().getParent(), file + " ");
    }

    /** The configuration in a TOML text; relative paths are taken from {@code base}. */
    public static Config parse(String toml, Path base) throws ConfigException {
        return read(toml, base, "");
    }

    /**
     * An error about one setting of {@code file} ({@code tls.certificate}) found after loading (a missing
     * certificate file, say), in the loader's words: the file, the setting's line, the setting, the problem.
     */
    public static ConfigException problem(Path file, String key, String problem) {
        int dot = key.lastIndexOf('.');
        String text;
        try {
            text = file == null ? "" : Files.readString(file);
        } catch (IOException e) {
            text = "";
        }
        return located(new SettingException(dot < 0 ? "" : key.substring(0, dot), key.substring(dot + 1), problem),
                TomlLines.of(text), file == null ? "" : file + " ");
    }

    private static Config read(String toml, Path base, String name) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? name.strip() : name + "line " + at.getLineNr();
            throw new ConfigException(where + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid TOML"));
        } catch (IOException e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
        try {
            return fromTree(root, base);
        } catch (SettingException e) {
            throw located(e, TomlLines.of(toml), name);
        } catch (RulesFileException e) {
            throw e.located();
        }
    }

    /** A wrong rule in the bounce rules file: said as the loader says a wrong setting, with that file's line. */
    private static final class RulesFileException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final String text;
        private final BounceRules.RulesException problem;

        RulesFileException(Path file, String text, BounceRules.RulesException problem) {
            super(problem.getMessage(), problem);
            this.file = file;
            this.text = text;
            this.problem = problem;
        }

        ConfigException located() {
            if (problem.table() == null) {
                return new ConfigException(file + " line " + problem.line() + ": " + problem.problem());
            }
            return ConfigLoader.located(new SettingException(problem.table(), problem.key(), problem.problem()),
                    TomlLines.of(text), file + " ");
        }
    }

    private static ConfigException located(SettingException e, TomlLines lines, String name) {
        int line = lines.line(e.key());
        String where = line > 0 ? name + "line " + line + ": " : name.isEmpty() ? "" : name.strip() + ": ";
        return new ConfigException(where + e.display() + ": " + e.problem());
    }

    static Config fromTree(JsonNode tree, Path base) {
        Table root = Table.root(tree, TOP);
        String hostname = root.text("hostname", null);
        Path dataDir = root.path("data_dir", "petrel-data", base).normalize();
        Table policy = root.table("policy", POLICY_KEYS);
        Table delivery = root.table("delivery", DELIVERY_KEYS);
        Table dns = root.table("dns", Set.of("nameservers", "dnssec"));
        String host = hostname == null ? defaultHostname() : hostname;
        Config config = new Config(host, dataDir, listeners(root),
                tls(root.table("tls", TLS_KEYS), base),
                dns.strings("nameservers", List.of()),
                policy.checkedStrings("relay_networks", List.of(), Network::parse),
                policy.bool("hold", false),
                root.table("domains", Set.of("local")).checkedStrings("local", List.of("localhost"), Domain::parse),
                limits(root.table("limits", LIMITS_KEYS)),
                timeouts(root.table("timeouts", TIMEOUTS_KEYS)),
                http(root.table("http", HTTP_KEYS)),
                delivery.integer("remote_port", 25, 1, 65535),
                localDelivery(root.table("local_delivery", LOCAL_DELIVERY_KEYS)),
                delivery(delivery),
                mailAuth(root.table("mailauth", Set.of("dmarc_reject", "temperror_defer", "dmarc_quarantine"))),
                storeUrl(root.table("store", Set.of("url"))),
                bounce(root.table("bounce", Set.of("domain", "complaints", "feedback_id", "rules")), base),
                reputation(root.table("reputation", REPUTATION_KEYS)), log(root.table("log", Set.of("format", "level"))),
                acme(root.table("acme", ACME_KEYS), base),
                MilterSettings.read(root.tables("milters", MilterSettings.KEYS)),
                dns.bool("dnssec", false),
                ReportSettings.read(root.table("reports", ReportSettings.KEYS), host),
                cluster(root.table("cluster", Set.of("node", "lease")), host));
        // after the tables: an error in one of them is told at its own line first
        if (hostname != null && !hostname.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            // the name goes into the greeting and EHLO reply, whose text may not hold CR, LF or other controls
            throw root.problem("hostname", "control characters are not allowed in a host name");
        }
        return config;
    }

    private static Config.Bounce bounce(Table n, Path base) {
        Config.Bounce rules = rules(n, base);
        String domain = n.text("domain", "");
        if (!domain.isEmpty()) {
            n.parsed("domain", domain, Domain::parse);
        }
        String feedbackId = n.text("feedback_id", Config.Bounce.DEFAULT.feedbackId());
        if (!feedbackId.isEmpty() && !feedbackId.matches("[A-Za-z0-9.-]{5,15}")) {
            // support.google.com/mail/answer/6254652: the SenderId is 5 to 15 characters
            throw n.problem("feedback_id", "expected 5 to 15 letters, digits, '-' or '.', got \"" + feedbackId + "\"");
        }
        return new Config.Bounce(domain, n.checkedStrings("complaints", List.of(), Address::of), feedbackId,
                rules.rulesFile(), rules.rules(), rules.throttles());
    }

    private static Config.Cluster cluster(Table n, String host) {
        String given = n.text("node", null);
        // the default follows the host name, which is checked on its own line
        if (given != null && (given.isEmpty() || given.length() > 255
                || !given.chars().allMatch(c -> c > 0x20 && c != 0x7f))) {
            throw n.problem("node", "expected a name of 1 to 255 characters without spaces or control characters,"
                    + " got \"" + given + "\"");
        }
        java.time.Duration lease = n.duration("lease", "30s");
        if (lease.compareTo(java.time.Duration.ofSeconds(3)) < 0) {
            // a heartbeat every lease/3: a shorter lease leaves a node less than a second to beat
            throw n.problem("lease", "expected at least 3s, got \"" + n.text("lease", "") + "\"");
        }
        return new Config.Cluster(given == null ? host : given, lease);
    }

    private static String storeUrl(Table n) {
        String url = n.text("url", Stores.EMBEDDED);
        n.parsed("url", url, u -> {
            Stores.check(u);
            return u;
        });
        return url;
    }

    private static List<Config.Listener> listeners(Table root) {
        List<Table> tables = root.tables("listeners", LISTENER_KEYS);
        if (tables == null) {
            // DESIGN.md: the embedded defaults listen on loopback high ports
            return List.of(new Config.Listener("127.0.0.1", 2525, Config.Role.MX),
                    new Config.Listener("127.0.0.1", 2587, Config.Role.SUBMISSION),
                    new Config.Listener("127.0.0.1", 2465, Config.Role.SUBMISSIONS));
        }
        List<Config.Listener> out = new ArrayList<>();
        for (Table l : tables) {
            String address = l.text("address", null);
            if (address == null) {
                throw l.problem("address", "required (host:port)");
            }
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw l.problem("address", "expected host:port, got \"" + address + "\"");
            }
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            int port = parsePort(l, address.substring(colon + 1), address);
            out.add(new Config.Listener(host, port, role(l), proxyProtocol(l)));
        }
        return out;
    }

    private static Config.Role role(Table l) {
        String role = l.text("role", "mx");
        try {
            return Config.Role.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw l.problem("role", "expected mx, submission or submissions, got \"" + role + "\"");
        }
    }

    private static Config.ProxyProtocol proxyProtocol(Table l) {
        boolean enabled = l.bool("proxy_protocol", false);
        List<String> trusted = l.checkedStrings("trusted_proxies", List.of(), Network::parse);
        java.time.Duration timeout = l.duration("proxy_timeout", "5s");
        if (enabled && trusted.isEmpty()) {
            throw l.problem("trusted_proxies", "required with proxy_protocol = true: the networks of the proxies"
                    + " allowed to send the header (every other address is dropped)");
        }
        if (!enabled && !trusted.isEmpty()) {
            // proxies named but the header not asked for: most likely a forgotten proxy_protocol = true
            throw l.problem("trusted_proxies", "only with proxy_protocol = true");
        }
        return new Config.ProxyProtocol(enabled, trusted, timeout);
    }

    private static Config.Http http(Table n) {
        String address = n.text("address", "127.0.0.1:8025");
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw n.problem("address", "expected host:port, got \"" + address + "\"");
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = parsePort(n, address.substring(colon + 1), address);
        boolean tls = n.bool("tls", false);
        String fallback = (tls ? "https://" : "http://") + (address.startsWith("0.0.0.0:") ? "127.0.0.1" + address.substring(7)
                : address);
        String publicUrl = n.text("public_url", fallback);
        if (!publicUrl.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw n.problem("public_url", "expected an http:// or https:// URL, got \"" + publicUrl + "\"");
        }
        java.time.Duration unsubscribe = n.duration("unsubscribe_validity", "365d");
        if (unsubscribe.compareTo(Config.Http.MIN_UNSUBSCRIBE_VALIDITY) < 0) {
            throw n.problem("unsubscribe_validity", "at least 60d: CASL asks that an unsubscribe work for 60 days"
                    + " after sending");
        }
        return new Config.Http(host, port, publicUrl.replaceAll("/+$", ""), tls, n.size("max_body", "30MiB"),
                n.bool("webhook_allow_private", false), n.integer("batch_messages", 500, 1, 10_000),
                n.duration("idempotency_window", "24h"), n.duration("message_retention", "30d"), unsubscribe);
    }

    private static int parsePort(Table listener, String text, String address) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw listener.problem("address", "expected a port from 0 to 65535 in \"" + address + "\"");
    }

    private static Config.Tls tls(Table t, Path base) {
        Path cert = t.path("certificate", null, base);
        Path key = t.path("private_key", null, base);
        if ((cert == null) != (key == null)) {
            throw t.problem(cert == null ? "certificate" : "private_key",
                    "missing: certificate and private_key go together");
        }
        return new Config.Tls(cert, key);
    }

    private static Config.Acme acme(Table t, Path base) {
        String directory = t.text("directory", "");
        Config.Acme none = Config.Acme.NONE;
        if (directory.isEmpty()) {
            return none;
        }
        URI url = t.parsed("directory", directory, URI::create);
        if (!"https".equals(url.getScheme())) {
            throw t.problem("directory", "expected an https:// URL, got \"" + directory + "\"");
        }
        List<String> names = t.checkedStrings("names", List.of(), Domain::parse);
        if (names.isEmpty()) {
            throw t.problem("names", "missing: the names the certificate covers");
        }
        String contact = t.text("contact", "");
        if (!contact.isEmpty()) {
            t.parsed("contact", contact, text -> Address.parse(text, false));
        }
        String challenge = t.text("challenge", none.challenge());
        if (!challenge.equals("http-01")) {
            // the key is there for tls-alpn-01 (RFC 8737), which Petrel does not answer yet
            throw t.problem("challenge", "expected http-01 (the only challenge Petrel answers), got \"" + challenge
                    + "\"");
        }
        return new Config.Acme(url, contact, names, t.bool("accept_terms", false),
                t.duration("renew_before", "30d"), t.duration("check_interval", "12h"), challenge,
                t.path("trust", null, base));
    }

    private static Config.Limits limits(Table n) {
        return new Config.Limits(
                n.size("message_size", "25MiB"),
                n.integer("recipients", 1000, 1, 100_000),
                n.integer("line_length", 2048, 512, 65_536),
                n.integer("errors", 20, 1, 1000),
                n.integer("connections", Config.Limits.defaultConnections(), 1, 1_000_000),
                n.integer("connections_per_client", 50, 1, 1_000_000),
                n.integer("auth_failures", 5, 1, 1000),
                n.duration("auth_failure_window", "15m"),
                n.integer("hops", 50, 1, 1000),
                n.zeroOrSize("queue_reserve", "64MiB"));
    }

    private static Config.Timeouts timeouts(Table n) {
        return new Config.Timeouts(n.duration("helo", "5m"), n.duration("mail", "5m"), n.duration("rcpt", "5m"),
                n.duration("data_block", "3m"), n.duration("auth", "2m"), n.duration("tls_handshake", "1m"),
                n.duration("drain", "30s"));
    }

    // defaults close to Postfix's: default_destination_concurrency_limit 20, _recipient_limit 50,
    // minimal_backoff_time 300s, maximal_backoff_time 4000s, maximal_queue_lifetime 5d; RFC 5321 4.5.3.2 for connect
    private static Config.Delivery delivery(Table n) {
        Config.Delivery d = new Config.Delivery(
                n.integer("site_concurrency", 20, 1, 10_000),
                n.integer("recipients_per_transaction", 50, 1, 100_000),
                n.duration("first_retry", "5m"),
                n.duration("max_retry", "66m"),
                n.duration("lifetime", "5d"),
                n.zeroOrDuration("delay_notice", "4h"),
                n.duration("connect_timeout", "30s"),
                n.checkedStrings("require_tls", List.of(), Domain::parse),
                n.integer("site_message_rate", 0, 0, 1_000_000),
                n.bool("mta_sts", true),
                n.integer("attempts_in_flight", 100, 1, 100_000),
                n.integer("messages_per_connection", 100, 1, 1_000_000),
                n.duration("connection_idle", "2s"),
                n.fraction("retry_jitter", 0.2),
                n.duration("site_backoff", "1m"),
                new Config.ClientTimeouts(n.duration("greeting_timeout", "5m"), n.duration("ehlo_timeout", "5m"),
                        n.duration("mail_timeout", "5m"), n.duration("rcpt_timeout", "5m"),
                        n.duration("data_init_timeout", "2m"), n.duration("data_block_timeout", "3m"),
                        n.duration("final_dot_timeout", "10m")),
                n.duration("stream_refresh", "2s"),
                EgressPools.read(n.tables("egress", EGRESS_KEYS)),
                n.bool("dane", true));
        if (d.maxRetry().compareTo(d.firstRetry()) < 0) {
            throw n.problem("max_retry", "must not be shorter than first_retry");
        }
        return d;
    }

    private static Config.LocalDelivery localDelivery(Table n) {
        String maildir = n.text("maildir", "mail/%d/%n");
        if (maildir.isBlank() || !(maildir.contains("%n") || maildir.contains("%u"))) {
            throw n.problem("maildir", "must name the user with %n or %u, got \"" + maildir + "\"");
        }
        Table t = n.table("transports", null);
        Map<String, String> transports = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.entries(); it.hasNext(); ) {
            String key = it.next().getKey();
            String domain = t.parsed(key, key, Domain::parse).name();
            String transport = t.text(key, null);
            if (!transport.equals("maildir") && !transport.startsWith("lmtp:")) {
                throw t.problem(key, "expected \"maildir\", \"lmtp:host:port\" or \"lmtp:unix:/path\", got \""
                        + transport + "\"");
            }
            transports.put(domain, transport);
        }
        return new Config.LocalDelivery(maildir, n.text("recipient_delimiter", "+"),
                n.bool("case_sensitive", false), n.duration("over_quota_grace", "1d"), transports);
    }

    // the operator's rules file, read now so that check-config and serve say what is wrong in it, and where
    // [bounce] rules: the operator's classification rules, read and checked now
    private static Config.Bounce rules(Table n, Path base) {
        Path file = n.path("rules", null, base);
        if (file == null) {
            return Config.Bounce.DEFAULT;
        }
        if (!Files.isRegularFile(file)) {
            throw n.problem("rules", "no such file: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw n.problem("rules", "cannot read " + file + ": " + e);
        }
        try {
            Config.Bounce d = Config.Bounce.DEFAULT;
            return new Config.Bounce(d.domain(), d.complaints(), d.feedbackId(), file, BounceRules.parse(text),
                    BounceRules.parseThrottles(text));
        } catch (BounceRules.RulesException e) {
            throw new RulesFileException(file, text, e);
        }
    }

    // issue 17: Gmail's published ceiling for complaints is 0.3%; 5% hard bounces is a list nobody cleans
    private static Config.Reputation reputation(Table n) {
        Config.Reputation d = Config.Reputation.DEFAULT;
        return new Config.Reputation(n.bool("enabled", d.enabled()), n.duration("window", "24h"),
                n.integer("min_volume", d.minVolume(), 1, 100_000_000), n.fraction("hard_bounce_rate",
                d.hardBounceRate()), n.fraction("complaint_rate", d.complaintRate()));
    }

    private static Config.Log log(Table n) {
        String format = n.text("format", Config.Log.DEFAULT.format().label());
        if (LogLines.Format.of(format) == null) {
            throw n.problem("format", "expected key=value or json, got \"" + format + "\"");
        }
        String level = n.text("level", Config.Log.DEFAULT.level().label());
        if (LogLines.Level.of(level) == null) {
            throw n.problem("level", "expected error, warning, info or debug, got \"" + level + "\"");
        }
        return new Config.Log(LogLines.Format.of(format), LogLines.Level.of(level));
    }

    private static Config.MailAuth mailAuth(Table n) {
        return new Config.MailAuth(n.bool("dmarc_reject", true), n.bool("temperror_defer", false),
                n.bool("dmarc_quarantine", false));
    }

    private static String defaultHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
