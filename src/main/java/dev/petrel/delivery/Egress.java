package dev.petrel.delivery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Where remote delivery leaves from: the source addresses it binds (taken in turn, each connection one of the
 * destination's address family) and the name it gives in EHLO. Each stream names its egress ({@code [[delivery.egress]]}
 * pools, or a source and EHLO name of its own), so that a newsletter and a receipt never share a sender's address
 * and reputation; throttles, ready queues and kept connections are per (egress, site).
 *
 * @param name the pool's name, or for a stream's own source and EHLO name a name made of them
 * @param sources the addresses to bind; empty: whichever the system chooses
 * @param ehlo the name given in EHLO; null: the server's host name
 */
public record Egress(String name, List<InetAddress> sources, String ehlo) {

    /** The name of the egress of mail without a stream, and of streams that name none. */
    public static final String DEFAULT_NAME = "default";

    /** The system's choice of address, and the host name. */
    public static final Egress DEFAULT = new Egress(DEFAULT_NAME, List.of(), null);

    public Egress {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an egress has a name");
        }
        sources = List.copyOf(sources);
    }

    /** The sources of the family of {@code destination} (IPv4 or IPv6); empty when this egress binds none. */
    public List<InetAddress> sourcesFor(InetAddress destination) {
        boolean v4 = destination instanceof Inet4Address;
        return sources.stream().filter(s -> (s instanceof Inet4Address) == v4).toList();
    }

    /** The EHLO name: this egress's own, else {@code hostname}. */
    public String ehloOr(String hostname) {
        return ehlo == null ? hostname : ehlo;
    }
}
