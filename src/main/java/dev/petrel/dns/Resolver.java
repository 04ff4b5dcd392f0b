package dev.petrel.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the DNS. Names are absolute, with or without the trailing dot, and are never completed with a search
 * list. CNAMEs are followed: the records returned belong to the end of the chain. Implementations do not
 * throw for DNS failures; they return them as {@link Lookup} outcomes.
 */
public interface Resolver {

    /** MX records of {@code name} (RFC 1035 3.3.9), in the order the server gave them. */
    Lookup<MxRecord> lookupMx(String name);

    /** A records of {@code name} (RFC 1035 3.4.1). */
    Lookup<Inet4Address> lookupA(String name);

    /** AAAA records of {@code name} (RFC 3596). */
    Lookup<Inet6Address> lookupAaaa(String name);

    /**
     * TXT records of {@code name} (RFC 1035 3.3.14), one string per record: the character-strings of a record
     * concatenated without separator, as SPF (RFC 7208 3.3), DKIM (RFC 6376 3.6.2.2) and DMARC read them.
     */
    Lookup<String> lookupTxt(String name);

    /**
     * TLSA records of {@code name} (RFC 6698 2), such as {@code _25._tcp.mx.example.com} for an MX host (RFC 7672
     * 2.2.3). A resolver that cannot ask for them answers NODATA, not secure: no DANE.
     */
    default Lookup<TlsaRecord> lookupTlsa(String name) {
        return new Lookup.NoRecords<>();
    }

    /** PTR records of {@code name} (RFC 1035 3.3.12), such as {@code 4.3.2.1.in-addr.arpa}: host names. */
    Lookup<String> lookupPtr(String name);

    /**
     * Both A and AAAA records of {@code name}, IPv4 first. Found when either family is found (the other
     * family's failure is then not reported); otherwise a temporary failure of either wins, then NODATA.
     */
    default Lookup<InetAddress> lookupAddresses(String name) {
        return merge(lookupA(name), lookupAaaa(name));
    }

    private static Lookup<InetAddress> merge(Lookup<Inet4Address> v4, Lookup<Inet6Address> v6) {
        List<InetAddress> all = new ArrayList<>();
        all.addAll(v4.records());
        all.addAll(v6.records());
        // RFC 7672 2.2.2: the addresses are secure when both answers are
        boolean secure = v4.secure() && v6.secure();
        if (!all.isEmpty()) {
            return new Lookup.Found<>(all, minTtl(v4, v6), secure);
        }
        if (v4 instanceof Lookup.TemporaryFailure<Inet4Address> failure) {
            return new Lookup.TemporaryFailure<>(failure.reason());
        }
        if (v6 instanceof Lookup.TemporaryFailure<Inet6Address> failure) {
            return new Lookup.TemporaryFailure<>(failure.reason());
        }
        if (v4 instanceof Lookup.NoSuchDomain && v6 instanceof Lookup.NoSuchDomain) {
            return new Lookup.NoSuchDomain<>(secure);
        }
        return new Lookup.NoRecords<>(secure);
    }

    private static Duration minTtl(Lookup<?> a, Lookup<?> b) {
        Duration ttl = null;
        for (Lookup<?> lookup : List.of(a, b)) {
            if (lookup instanceof Lookup.Found<?> found && (ttl == null || found.ttl().compareTo(ttl) < 0)) {
                ttl = found.ttl();
            }
        }
        return ttl;
    }
}
