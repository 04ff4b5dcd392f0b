package dev.petrel.server;

import dev.petrel.policy.Network;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The PROXY protocol on one listener, as Postfix's smtpd_upstream_proxy_protocol: every connection comes from a
 * proxy in {@code trustedProxies} and starts with the header naming the real client, within {@code timeout}.
 *
 * @param enabled whether the listener expects the header; when not, the socket's peer is the client
 */
public record ProxyProtocol(boolean enabled, List<Network> trustedProxies, Duration timeout) {

    /** A listener clients connect to directly. */
    public static final ProxyProtocol NONE = new ProxyProtocol(false, List.of(), Duration.ofSeconds(5));

    public ProxyProtocol {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** From the configuration's text: networks in CIDR notation. */
    public static ProxyProtocol of(boolean enabled, List<String> trustedProxies, Duration timeout) {
        return new ProxyProtocol(enabled, trustedProxies.stream().map(Network::parse).toList(), timeout);
    }

    boolean trusts(InetAddress peer) {
        return trustedProxies.stream().anyMatch(n -> n.contains(peer));
    }
}
