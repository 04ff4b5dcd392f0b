package dev.petrel.dns;

import dev.petrel.mail.Reply;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps Petrel from sending mail to itself. RFC 5321 5.1: when the client is itself one of a domain's MX
 * hosts, it MUST discard the MX records with a preference equal to or greater than its own; when nothing is
 * left, the mail loops, which is a permanent failure (5.4.6). A host is this Petrel when its name is one of
 * Petrel's host names or one of its addresses is one of Petrel's: give the addresses that remote SMTP reaches
 * (those listening on the remote port), not every loopback address.
 */
public final class LoopGuard {

    private final Set<String> hostnames;
    private final Set<InetAddress> addresses;

    public LoopGuard(Collection<String> hostnames, Collection<InetAddress> addresses) {
        this.hostnames = hostnames.stream().map(MxRecord::normalize).collect(Collectors.toUnmodifiableSet());
        this.addresses = Set.copyOf(addresses);
    }

    /** A guard that knows no name or address of ours, for tests and for relaying through a smarthost. */
    public static LoopGuard none() {
        return new LoopGuard(Set.of(), Set.of());
    }

    /** Whether {@code host} is this Petrel, by name or by one of its addresses. */
    public boolean isSelf(Route.Host host) {
        if (hostnames.contains(MxRecord.normalize(host.name()))) {
            return true;
        }
        return host.addresses().stream().anyMatch(addresses::contains);
    }

    /**
     * The hosts of {@code route} that come before Petrel itself: all of them when Petrel is not among them, a
     * routing loop failure when Petrel is the most preferred one.
     */
    public Routing prune(Route route) {
        int own = Integer.MAX_VALUE;
        for (Route.Host host : route.hosts()) {
            if (isSelf(host)) {
                own = Math.min(own, host.preference());
            }
        }
        if (own == Integer.MAX_VALUE) {
            return new Routing.Routed(route);
        }
        List<Route.Host> kept = new ArrayList<>();
        for (Route.Host host : route.hosts()) {
            // RFC 5321 5.1: discard MX records with preference equal to or greater than our own
            if (host.preference() < own) {
                kept.add(host);
            }
        }
        if (kept.isEmpty()) {
            return new Routing.Failed(Reply.of(550, Routing.ROUTING_LOOP,
                    "mail for " + route.destination() + " loops back to myself"));
        }
        return new Routing.Routed(new Route(route.destination(), route.site(), kept));
    }
}
