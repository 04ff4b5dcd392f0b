package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.petrel.store.Stores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the TOML configuration file over the built-in defaults. Unknown keys are errors, so a misspelt setting
 * is never silently ignored. Without a file, the embedded defaults of DESIGN.md apply.
 */
public final class ConfigLoader {

    private static final Set<String> TOP = Set.of("hostname", "data_dir", "listeners", "tls", "dns", "policy", "limits",
            "timeouts", "admin", "delivery", "local_delivery", "domains", "mailauth", "store");

    private static final Set<String> DELIVERY_KEYS = Set.of("remote_port", "site_concurrency",
            "recipients_per_transaction", "first_retry", "max_retry", "lifetime", "delay_notice", "connect_timeout",
            "require_tls", "site_message_rate", "mta_sts");

    private ConfigLoader() {}

    /** The configuration of a file, or the embedded defaults when {@code file} is null. */
    public static Config load(Path file) throws IOException {
        if (file == null) {
            return fromTree(new TomlMapper().createObjectNode(), Path.of("."));
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage().lines().findFirst().orElse("invalid TOML"));
        }
        try {
            return fromTree(root, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /** The configuration in a TOML text; relative paths are taken from {@code base}. */
    public static Config parse(String toml, Path base) throws ConfigException {
        try {
            return fromTree(new TomlMapper().readTree(toml), base);
        } catch (IOException e) {
            throw new ConfigException(e.getMessage().lines().findFirst().orElse("invalid TOML"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static final Set<String> POLICY_KEYS = Set.of("relay_networks", "hold");

    static Config fromTree(JsonNode root, Path base) {
        checkKeys(root, "", TOP);
        String hostname = text(root, "hostname", defaultHostname());
        Path dataDir = base.resolve(text(root, "data_dir", "petrel-data")).normalize();
        return new Config(hostname, dataDir, listeners(root.path("listeners")),
                tls(section(root, "tls", Set.of("certificate", "private_key")), base),
                strings(section(root, "dns", Set.of("nameservers")), "nameservers"),
                strings(section(root, "policy", POLICY_KEYS), "relay_networks"),
                bool(section(root, "policy", POLICY_KEYS), "hold", false),
                strings(section(root, "domains", Set.of("local")), "local", List.of("localhost")),
                limits(section(root, "limits", Set.of("message_size", "recipients", "line_length", "errors",
                        "connections", "connections_per_client", "auth_failures", "auth_failure_window", "hops"))),
                timeouts(section(root, "timeouts", Set.of("helo", "mail", "rcpt", "data_block", "auth", "tls_handshake"))),
                text(section(root, "admin", Set.of("address")), "address", "127.0.0.1:8025"),
                integer(section(root, "delivery", DELIVERY_KEYS), "remote_port", 25, 1, 65535),
                localDelivery(section(root, "local_delivery", LOCAL_DELIVERY_KEYS)),
                delivery(section(root, "delivery", DELIVERY_KEYS)),
                mailAuth(section(root, "mailauth", Set.of("dmarc_reject", "temperror_defer"))),
                storeUrl(section(root, "store", Set.of("url"))));
    }

    private static JsonNode section(JsonNode root, String name, Set<String> keys) {
        JsonNode node = root.path(name);
        if (!node.isMissingNode() && !node.isObject()) {
            throw new IllegalArgumentException("[" + name + "] must be a table");
        }
        checkKeys(node, name + ".", keys);
        return node;
    }

    private static void checkKeys(JsonNode node, String prefix, Set<String> keys) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown setting " + prefix + key);
            }
        }
    }

    private static List<Config.Listener> listeners(JsonNode node) {
        if (node.isMissingNode()) {
            // DESIGN.md: the embedded defaults listen on loopback high ports
            return List.of(new Config.Listener("127.0.0.1", 2525, Config.Role.MX),
                    new Config.Listener("127.0.0.1", 2587, Config.Role.SUBMISSION),
                    new Config.Listener("127.0.0.1", 2465, Config.Role.SUBMISSIONS));
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("[[listeners]] must be an array of tables");
        }
        List<Config.Listener> out = new ArrayList<>();
        for (JsonNode l : node) {
            checkKeys(l, "listeners.", Set.of("address", "role"));
            String address = text(l, "address", null);
            if (address == null) {
                throw new IllegalArgumentException("listeners.address is required");
            }
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("listeners.address must be host:port: " + address);
            }
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            int port = parsePort(address.substring(colon + 1), address);
            String role = text(l, "role", "mx").toUpperCase(Locale.ROOT);
            try {
                out.add(new Config.Listener(host, port, Config.Role.valueOf(role)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("listeners.role must be mx, submission or submissions: " + role.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static int parsePort(String text, String address) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + address);
        }
    }

    private static Config.Tls tls(JsonNode node, Path base) {
        checkKeys(node, "tls.", Set.of("certificate", "private_key"));
        String cert = text(node, "certificate", null);
        String key = text(node, "private_key", null);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("tls.certificate and tls.private_key go together");
        }
        return cert == null ? new Config.Tls(null, null) : new Config.Tls(base.resolve(cert), base.resolve(key));
    }

    private static Config.Limits limits(JsonNode n) {
        return new Config.Limits(
                size(n, "message_size", "25MiB"),
                integer(n, "recipients", 1000, 1, 100_000),
                integer(n, "line_length", 2048, 512, 65_536),
                integer(n, "errors", 20, 1, 1000),
                integer(n, "connections", 1000, 1, 1_000_000),
                integer(n, "connections_per_client", 50, 1, 1_000_000),
                integer(n, "auth_failures", 5, 1, 1000),
                duration(n, "auth_failure_window", "15m"),
                integer(n, "hops", 50, 1, 1000));
    }

    // defaults close to Postfix's: default_destination_concurrency_limit 20, _recipient_limit 50,
    // minimal_backoff_time 300s, maximal_backoff_time 4000s, maximal_queue_lifetime 5d; RFC 5321 4.5.3.2 for connect
    private static Config.Delivery delivery(JsonNode n) {
        Config.Delivery d = new Config.Delivery(
                integer(n, "site_concurrency", 20, 1, 10_000),
                integer(n, "recipients_per_transaction", 50, 1, 100_000),
                duration(n, "first_retry", "5m"),
                duration(n, "max_retry", "66m"),
                duration(n, "lifetime", "5d"),
                zeroOrDuration(n, "delay_notice", "4h"),
                duration(n, "connect_timeout", "30s"),
                strings(n, "require_tls"),
                integer(n, "site_message_rate", 0, 0, 1_000_000),
                bool(n, "mta_sts", true));
        d.requireTls().forEach(dev.petrel.mail.Domain::parse);
        if (d.maxRetry().compareTo(d.firstRetry()) < 0) {
            throw new IllegalArgumentException("delivery.max_retry must not be shorter than delivery.first_retry");
        }
        return d;
    }

    private static final Set<String> LOCAL_DELIVERY_KEYS = Set.of("maildir", "recipient_delimiter", "case_sensitive",
            "over_quota_grace", "transports");

    private static Config.LocalDelivery localDelivery(JsonNode n) {
        String maildir = text(n, "maildir", "mail/%d/%n");
        if (maildir.isBlank() || !(maildir.contains("%n") || maildir.contains("%u"))) {
            throw new IllegalArgumentException("local_delivery.maildir must name the user with %n or %u: " + maildir);
        }
        JsonNode caseSensitive = n.path("case_sensitive");
        if (!caseSensitive.isMissingNode() && !caseSensitive.isBoolean()) {
            throw new IllegalArgumentException("local_delivery.case_sensitive must be true or false");
        }
        JsonNode t = n.path("transports");
        if (!t.isMissingNode() && !t.isObject()) {
            throw new IllegalArgumentException("[local_delivery.transports] must be a table of domain = \"transport\"");
        }
        Map<String, String> transports = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String domain = dev.petrel.mail.Domain.parse(e.getKey()).name();
            String transport = text(t, e.getKey(), null);
            if (!transport.equals("maildir") && !transport.startsWith("lmtp:")) {
                throw new IllegalArgumentException("local_delivery.transports: " + e.getKey()
                        + " must be \"maildir\", \"lmtp:host:port\" or \"lmtp:unix:/path\"");
            }
            transports.put(domain, transport);
        }
        return new Config.LocalDelivery(maildir, text(n, "recipient_delimiter", "+"),
                caseSensitive.asBoolean(false), duration(n, "over_quota_grace", "1d"), transports);
    }

    private static String storeUrl(JsonNode n) {
        String url = text(n, "url", Stores.EMBEDDED);
        Stores.check(url);
        return url;
    }

    private static Config.MailAuth mailAuth(JsonNode n) {
        return new Config.MailAuth(bool(n, "dmarc_reject", true), bool(n, "temperror_defer", false));
    }

    private static boolean bool(JsonNode node, String key, boolean fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false");
        }
        return v.asBoolean();
    }

    private static Duration zeroOrDuration(JsonNode node, String key, String fallback) {
        String text = text(node, key, fallback);
        return text.strip().equals("0") ? Duration.ZERO : Units.duration(text);
    }

    private static Config.Timeouts timeouts(JsonNode n) {
        return new Config.Timeouts(duration(n, "helo", "5m"), duration(n, "mail", "5m"), duration(n, "rcpt", "5m"),
                duration(n, "data_block", "3m"), duration(n, "auth", "2m"), duration(n, "tls_handshake", "1m"));
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode node, String key, int fallback, int min, int max) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    private static long size(JsonNode node, String key, String fallback) {
        JsonNode v = node.path(key);
        long size = v.isIntegralNumber() ? v.asLong() : Units.size(text(node, key, fallback));
        if (size < 1) {
            throw new IllegalArgumentException(key + " must be positive");
        }
        return size;
    }

    private static Duration duration(JsonNode node, String key, String fallback) {
        Duration d = Units.duration(text(node, key, fallback));
        if (d.isZero()) {
            throw new IllegalArgumentException(key + " must be longer than zero");
        }
        return d;
    }

    private static List<String> strings(JsonNode node, String key) {
        return strings(node, key, List.of());
    }

    private static List<String> strings(JsonNode node, String key, List<String> fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(key + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static String defaultHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
