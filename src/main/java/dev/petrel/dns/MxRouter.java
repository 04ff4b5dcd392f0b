package dev.petrel.dns;

import dev.petrel.mail.Domain;
import dev.petrel.mail.Reply;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Routes a destination domain by its MX records, as RFC 5321 section 5.1 says: the MX hosts sorted by
 * preference with equal preferences in random order, each with its addresses; the domain itself when it has no
 * MX (the implicit MX); a bounce for a null MX (RFC 7505) or a domain that does not exist; a deferral when the
 * DNS does not answer; and the address itself for an address literal, without the DNS. Hosts that are this
 * Petrel are dropped by the {@link LoopGuard}.
 */
public final class MxRouter implements Router {

    private final Resolver resolver;
    private final RandomGenerator random;
    private final LoopGuard loopGuard;

    public MxRouter(Resolver resolver, RandomGenerator random, LoopGuard loopGuard) {
        this.resolver = resolver;
        this.random = random;
        this.loopGuard = loopGuard;
    }

    @Override
    public Routing route(Domain destination) {
        if (destination.isAddressLiteral()) {
            return routeLiteral(destination);
        }
        String name = destination.name();
        return switch (resolver.lookupMx(name)) {
            case Lookup.Found<MxRecord> found -> routeMx(destination, found.records(), found.secure());
            // RFC 5321 5.1: no MX records: the domain is its own MX, with preference 0
            case Lookup.NoRecords<MxRecord> none -> routeHosts(destination, List.of(new MxRecord(0, name)),
                    none.secure());
            case Lookup.NoSuchDomain<MxRecord> none -> Routing.failed(550, Routing.BAD_DESTINATION_SYSTEM,
                    "Domain " + name + " does not exist (DNS NXDOMAIN)");
            case Lookup.TemporaryFailure<MxRecord> failure -> Routing.deferred(Routing.DIRECTORY_SERVER_FAILURE,
                    "DNS look-up of MX for " + name + " failed: " + failure.reason());
        };
    }

    // RFC 5321 4.1.3: an address literal names the host directly; no DNS
    private Routing routeLiteral(Domain literal) {
        String text = literal.name();
        String inner = text.substring(1, text.length() - 1);
        boolean v6 = inner.regionMatches(true, 0, "IPv6:", 0, 5);
        InetAddress address;
        try {
            // in brackets the JDK takes the text as an IPv6 literal and never asks the DNS
            address = v6 ? InetAddress.getByName("[" + inner.substring(5) + "]") : ipv4(inner);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Routing.failed(550, Routing.BAD_DESTINATION_SYSTEM, "Unusable address literal " + text);
        }
        Route route = new Route(literal, Site.of(List.of(text)), List.of(new Route.Host(text, 0, List.of(address))));
        return loopGuard.prune(route);
    }

    private static InetAddress ipv4(String dotted) throws UnknownHostException {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return InetAddress.getByAddress(bytes);
    }

    private Routing routeMx(Domain destination, List<MxRecord> records, boolean secure) {
        // RFC 7505 3: a single MX whose exchange is the root says the domain accepts no mail
        if (records.size() == 1 && records.getFirst().isNullMx()) {
            return Routing.failed(556, Routing.NULL_MX,
                    "Recipient address has null MX: " + destination + " accepts no mail");
        }
        return routeHosts(destination, order(records), secure);
    }

    /** Sorted by preference, random among equal preferences, each exchange once at its best preference. */
    List<MxRecord> order(List<MxRecord> records) {
        Map<String, MxRecord> best = new LinkedHashMap<>();
        for (MxRecord mx : records) {
            // RFC 7505 3: a null MX among other MX records is not a host to try
            if (!mx.isNullMx()) {
                best.merge(mx.exchange(), mx, (a, b) -> a.preference() <= b.preference() ? a : b);
            }
        }
        List<MxRecord> sorted = new ArrayList<>(best.values());
        sorted.sort(Comparator.comparingInt(MxRecord::preference));
        // RFC 5321 5.1: hosts of equal preference are tried in random order, to spread the load
        int start = 0;
        while (start < sorted.size()) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).preference() == sorted.get(start).preference()) {
                end++;
            }
            shuffle(sorted.subList(start, end));
            start = end;
        }
        return sorted;
    }

    private void shuffle(List<MxRecord> group) {
        for (int i = group.size() - 1; i > 0; i--) {
            Collections.swap(group, i, random.nextInt(i + 1));
        }
    }

    // RFC 7672 2.2.2: a host is a candidate for DANE when its MX records and its addresses are both secure
    private Routing routeHosts(Domain destination, List<MxRecord> ordered, boolean mxSecure) {
        Site site = Site.of(ordered.stream().map(MxRecord::exchange).toList());
        List<Route.Host> hosts = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (MxRecord mx : ordered) {
            Lookup<InetAddress> addresses = resolver.lookupAddresses(mx.exchange());
            if (addresses instanceof Lookup.TemporaryFailure<InetAddress> failure) {
                failures.add(failure.reason());
            }
            hosts.add(new Route.Host(mx.exchange(), mx.preference(), addresses.records(),
                    mxSecure && addresses.secure()));
        }
        if (hosts.isEmpty()) {
            // only a null MX among the records: nothing to try
            return Routing.failed(556, Routing.NULL_MX, "Recipient address has null MX: " + destination);
        }
        return switch (loopGuard.prune(new Route(destination, site, hosts))) {
            case Routing.Routed routed -> usable(routed.route(), failures);
            case Routing other -> other;
        };
    }

    // RFC 5321 5.1: a host without addresses is skipped; if no host is usable, that is an error
    private static Routing usable(Route route, List<String> failures) {
        List<Route.Host> reachable = route.hosts().stream().filter(h -> !h.addresses().isEmpty()).toList();
        if (!reachable.isEmpty()) {
            return new Routing.Routed(new Route(route.destination(), route.site(), reachable));
        }
        List<String> names = route.hosts().stream().map(Route.Host::name).toList();
        if (!failures.isEmpty()) {
            return Routing.deferred(Routing.DIRECTORY_SERVER_FAILURE,
                    "DNS look-up of addresses for " + names + " failed: " + failures.getFirst());
        }
        return new Routing.Deferred(Reply.of(451, Routing.UNABLE_TO_ROUTE,
                "Unable to route: no address for the mail hosts " + names + " of " + route.destination()));
    }
}
