package dev.petrel.dns;

import dev.petrel.mail.Domain;
import java.net.InetAddress;
import java.util.List;

/**
 * Where to deliver a destination domain's mail: its hosts in the order to try them (RFC 5321 5.1), each with
 * its addresses, and the site they form.
 */
public record Route(Domain destination, Site site, List<Host> hosts) {

    public Route {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a route has at least one host");
        }
    }

    /**
     * One host to try: its name (an MX exchange, the domain itself for an implicit MX, or the address literal),
     * the MX preference (0 for an implicit MX or a literal) and its IPv4 then IPv6 addresses.
     *
     * @param secure the MX records that named the host (or the denial of any, for an implicit MX) and the host's
     *               addresses were DNSSEC-authenticated: its TLSA records may be looked up (RFC 7672 2.2.2)
     */
    public record Host(String name, int preference, List<InetAddress> addresses, boolean secure) {

        /** A host whose DNS answers are not known to be authenticated. */
        public Host(String name, int preference, List<InetAddress> addresses) {
            this(name, preference, addresses, false);
        }

        public Host {
            addresses = List.copyOf(addresses);
        }
    }
}
