package dev.petrel.server;

import java.time.Duration;
import java.util.List;

/**
 * How the SMTP server listens and what it allows, filled in from the configuration by the command line.
 */
public record ServerOptions(
        String hostname,
        List<Endpoint> endpoints,
        long maxMessageSize,
        int maxRecipients,
        int maxLineLength,
        int maxErrors,
        Duration heloTimeout,
        Duration mailTimeout,
        Duration rcptTimeout,
        Duration dataBlockTimeout,
        Duration authTimeout,
        Duration tlsHandshakeTimeout,
        List<MilterOptions> milters) {

    public ServerOptions {
        endpoints = List.copyOf(endpoints);
        milters = List.copyOf(milters);
    }

    /** Without milters. */
    public ServerOptions(String hostname, List<Endpoint> endpoints, long maxMessageSize, int maxRecipients,
                         int maxLineLength, int maxErrors, Duration heloTimeout, Duration mailTimeout,
                         Duration rcptTimeout, Duration dataBlockTimeout, Duration authTimeout,
                         Duration tlsHandshakeTimeout) {
        this(hostname, endpoints, maxMessageSize, maxRecipients, maxLineLength, maxErrors, heloTimeout, mailTimeout,
                rcptTimeout, dataBlockTimeout, authTimeout, tlsHandshakeTimeout, List.of());
    }

    /** One listening address; port 0 picks a free port (tests). */
    public record Endpoint(String host, int port, Role role, ProxyProtocol proxy) {

        /** Clients connect directly. */
        public Endpoint(String host, int port, Role role) {
            this(host, port, role, ProxyProtocol.NONE);
        }
    }
}
