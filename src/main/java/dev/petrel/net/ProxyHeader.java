package dev.petrel.net;

import java.net.InetSocketAddress;

/**
 * What a proxy in front of a listener says of a connection in its PROXY protocol header (HAProxy's
 * proxy-protocol.txt, versions 1 and 2), read by {@link ProxyHeaderReader}.
 */
public sealed interface ProxyHeader {

    /**
     * The proxy relays a client's connection.
     *
     * @param source the client, as the proxy saw it
     * @param destination the address the client connected to, on the proxy
     */
    record Proxied(InetSocketAddress source, InetSocketAddress destination) implements ProxyHeader {}

    /**
     * The connection's own endpoints stand: the proxy's own health check (v2 LOCAL), or a connection it cannot
     * describe (v1 UNKNOWN, v2 UNSPEC or AF_UNIX, v2 datagrams).
     */
    record Unproxied() implements ProxyHeader {}
}
