package dev.petrel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The effective configuration: the file's values over the defaults. Every setting has a default; the README's
 * configuration reference lists them all.
 */
public record Config(
        String hostname,
        Path dataDir,
        List<Listener> listeners,
        Tls tls,
        List<String> nameservers,
        List<String> relayNetworks,
        List<String> localDomains,
        Limits limits,
        Timeouts timeouts,
        String adminAddress,
        int remotePort,
        String maildir,
        Delivery delivery) {

    public Config {
        listeners = List.copyOf(listeners);
        nameservers = List.copyOf(nameservers);
        relayNetworks = List.copyOf(relayNetworks);
        localDomains = List.copyOf(localDomains);
    }

    /** A listening socket and what sessions on it may do. */
    public record Listener(String host, int port, Role role) {}

    public enum Role {
        /** Port 25: mail for local domains from anyone, STARTTLS offered, no relay without relay_networks. */
        MX,
        /** Port 587: STARTTLS, then AUTH before MAIL (RFC 6409). */
        SUBMISSION,
        /** Port 465: TLS from the first byte, then as submission (RFC 8314). */
        SUBMISSIONS
    }

    /** PEM files; both null means a self-signed pair made once in the data folder. */
    public record Tls(Path certificate, Path privateKey) {}

    public record Limits(
            long messageSize,
            int recipients,
            int lineLength,
            int errors,
            int connections,
            int connectionsPerClient,
            int authFailures,
            Duration authFailureWindow,
            int hops) {}

    /**
     * Delivery to other servers: how many transactions one destination site gets at once, how many recipients
     * go in one transaction, the retry schedule, and how long a connection may take.
     */
    public record Delivery(
            int siteConcurrency,
            int recipientsPerTransaction,
            Duration firstRetry,
            Duration maxRetry,
            Duration lifetime,
            Duration delayNotice,
            Duration connectTimeout,
            List<String> requireTls) {

        public Delivery {
            requireTls = List.copyOf(requireTls);
        }
    }

    /** RFC 5321 4.5.3.2: how long the server waits in each phase. */
    public record Timeouts(
            Duration helo,
            Duration mail,
            Duration rcpt,
            Duration dataBlock,
            Duration auth,
            Duration tlsHandshake) {}

    public Path queueDir() {
        return dataDir.resolve("queue");
    }

    public Path accountsFile() {
        return dataDir.resolve("accounts.json");
    }

    public Path controlSocket() {
        return dataDir.resolve("control.sock");
    }
}
