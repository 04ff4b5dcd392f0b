package dev.petrel.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A {@link Resolver} over dnsjava that asks recursive nameservers (by default those of the system's
 * resolv.conf) and keeps answers in a small cache for their TTL. Each server is asked up to
 * {@code 1 + retries} times, each time waiting at most {@code timeout}; a server that answers SERVFAIL,
 * REFUSED or another error code is left for the next one. CNAMEs are followed here, also when the server
 * gives only the first link of a chain.
 */
public final class DnsjavaResolver implements Resolver {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 1;
    public static final int DEFAULT_CACHE_SIZE = 1000;
    // RFC 1034 3.6.2: CNAME chains should be followed; a long chain or a loop is a broken zone
    static final int MAX_CNAME_HOPS = 8;
    // answers are re-asked at least hourly, whatever their TTL says
    static final Duration MAX_CACHE_TTL = Duration.ofHours(1);
    private static final int DNS_PORT = 53;

    /**
     * How to reach the DNS.
     *
     * @param nameservers recursive servers, asked in order
     * @param timeout how long to wait for one answer
     * @param retries how many more times to ask a server that does not answer
     * @param cacheSize how many answers to keep; 0 keeps none
     * @param dnssec the nameservers validate DNSSEC and are reached over a path Petrel trusts (loopback): their AD
     *               bit is believed, so answers can be {@linkplain Lookup#secure() secure} ({@code [dns] dnssec})
     */
    public record Settings(List<InetSocketAddress> nameservers, Duration timeout, int retries, int cacheSize,
                           boolean dnssec) {

        /** Without DNSSEC: no answer is ever secure. */
        public Settings(List<InetSocketAddress> nameservers, Duration timeout, int retries, int cacheSize) {
            this(nameservers, timeout, retries, cacheSize, false);
        }

        public Settings {
            nameservers = List.copyOf(nameservers);
            if (nameservers.isEmpty()) {
                throw new IllegalArgumentException("no nameservers");
            }
            if (timeout.isNegative() || timeout.isZero() || retries < 0 || cacheSize < 0) {
                throw new IllegalArgumentException("timeout must be positive, retries and cache size not negative");
            }
        }

        /** The given servers ("host:port", port 53 when absent) with the default timeout, retries and cache. */
        public static Settings of(List<String> nameservers) {
            return new Settings(nameservers.stream().map(DnsjavaResolver::parseNameserver).toList(),
                    DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_CACHE_SIZE);
        }

        /** The servers of the system's configuration (resolv.conf on Unix), as dnsjava reads it. */
        public static Settings system() {
            return new Settings(ResolverConfig.getCurrentConfig().servers(), DEFAULT_TIMEOUT, DEFAULT_RETRIES,
                    DEFAULT_CACHE_SIZE);
        }

        public Settings withTimeout(Duration newTimeout) {
            return new Settings(nameservers, newTimeout, retries, cacheSize, dnssec);
        }

        public Settings withRetries(int newRetries) {
            return new Settings(nameservers, timeout, newRetries, cacheSize, dnssec);
        }

        public Settings withCacheSize(int newCacheSize) {
            return new Settings(nameservers, timeout, retries, newCacheSize, dnssec);
        }

        public Settings withDnssec(boolean trustAd) {
            return new Settings(nameservers, timeout, retries, cacheSize, trustAd);
        }
    }

    private final List<SimpleResolver> servers;
    private final int retries;
    private final boolean dnssec;
    private final LookupCache cache;

    public DnsjavaResolver(Settings settings, Clock clock) {
        List<SimpleResolver> list = new ArrayList<>();
        for (InetSocketAddress server : settings.nameservers()) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(settings.timeout());
            list.add(resolver);
        }
        this.servers = List.copyOf(list);
        this.retries = settings.retries();
        this.dnssec = settings.dnssec();
        this.cache = new LookupCache(settings.cacheSize(), MAX_CACHE_TTL, clock);
    }

    /**
     * Parses a nameserver as the configuration writes it: {@code 192.0.2.1}, {@code 192.0.2.1:5353},
     * {@code [2001:db8::1]:53} or a bare IPv6 address. Only IP addresses: a name would need the DNS to find it.
     */
    public static InetSocketAddress parseNameserver(String text) {
        String host = text.strip();
        int port = DNS_PORT;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("invalid nameserver: " + text);
            }
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (!rest.isEmpty()) {
                port = parsePort(rest, text);
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = parsePort(host.substring(host.indexOf(':')), text);
            host = host.substring(0, host.indexOf(':'));
        }
        try {
            return new InetSocketAddress(org.xbill.DNS.Address.getByAddress(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("nameserver is not an IP address: " + text, e);
        }
    }

    private static int parsePort(String colonPort, String whole) {
        if (!colonPort.matches(":[0-9]{1,5}") || Integer.parseInt(colonPort.substring(1)) > 0xFFFF) {
            throw new IllegalArgumentException("invalid nameserver port: " + whole);
        }
        return Integer.parseInt(colonPort.substring(1));
    }

    @Override
    public Lookup<MxRecord> lookupMx(String name) {
        return resolve(name, Type.MX).map(r -> {
            MXRecord mx = (MXRecord) r;
            return new MxRecord(mx.getPriority(), mx.getTarget().toString());
        });
    }

    @Override
    public Lookup<Inet4Address> lookupA(String name) {
        return resolve(name, Type.A).map(r -> (Inet4Address) ((ARecord) r).getAddress());
    }

    @Override
    public Lookup<Inet6Address> lookupAaaa(String name) {
        return resolve(name, Type.AAAA).map(r -> toInet6(((AAAARecord) r).getAddress()));
    }

    // the JDK turns an IPv4-mapped IPv6 address into an Inet4Address; an AAAA record stays IPv6
    private static Inet6Address toInet6(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            return v6;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    @Override
    public Lookup<String> lookupTxt(String name) {
        return resolve(name, Type.TXT).map(r -> {
            StringBuilder text = new StringBuilder();
            for (byte[] part : ((TXTRecord) r).getStringsAsByteArrays()) {
                text.append(new String(part, StandardCharsets.UTF_8));
            }
            return text.toString();
        });
    }

    @Override
    public Lookup<TlsaRecord> lookupTlsa(String name) {
        return resolve(name, Type.TLSA).map(r -> {
            TLSARecord tlsa = (TLSARecord) r;
            return new TlsaRecord(tlsa.getCertificateUsage(), tlsa.getSelector(), tlsa.getMatchingType(),
                    tlsa.getCertificateAssociationData());
        });
    }

    @Override
    public Lookup<String> lookupPtr(String name) {
        return resolve(name, Type.PTR).map(r -> ((PTRRecord) r).getTarget().toString(true));
    }

    private Lookup<Record> resolve(String name, int type) {
        Name absolute = toName(name);
        LookupCache.Key key = new LookupCache.Key(absolute.toString().toLowerCase(Locale.ROOT), type);
        return cache.<Record>get(key).orElseGet(() -> {
            Outcome outcome = chase(absolute, type);
            cache.put(key, outcome.lookup(), outcome.cacheFor());
            return outcome.lookup();
        });
    }

    private static Name toName(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("invalid DNS name: " + name, e);
        }
    }

    /** A look-up's outcome and how long to keep it. */
    private record Outcome(Lookup<Record> lookup, Duration cacheFor) {
        static Outcome temporary(String reason) {
            return new Outcome(new Lookup.TemporaryFailure<>(reason), Duration.ZERO);
        }
    }

    // RFC 1034 3.6.2, 5.2.2: restart the query at the canonical name until records of the type appear
    private Outcome chase(Name name, int type) {
        Name current = name;
        long chainTtl = Long.MAX_VALUE;
        // RFC 7672 2.1.1: an answer is secure when every link of its CNAME chain is
        boolean secure = dnssec;
        Set<Name> seen = new HashSet<>();
        while (seen.add(current) && seen.size() <= MAX_CNAME_HOPS) {
            Exchange exchange = ask(current, type);
            if (exchange.failure() != null) {
                return Outcome.temporary(exchange.failure());
            }
            Message answer = exchange.message();
            secure &= answer.getHeader().getFlag(Flags.AD);
            Chain chain = follow(answer.getSection(Section.ANSWER), current, type);
            chainTtl = Math.min(chainTtl, chain.ttl());
            if (!chain.records().isEmpty()) {
                Duration ttl = Duration.ofSeconds(Math.min(chainTtl, minTtl(chain.records())));
                return new Outcome(new Lookup.Found<>(chain.records(), ttl, secure), ttl);
            }
            if (answer.getRcode() == Rcode.NXDOMAIN) {
                return new Outcome(new Lookup.NoSuchDomain<>(secure), negativeTtl(answer));
            }
            if (chain.end().equals(current)) {
                return new Outcome(new Lookup.NoRecords<>(secure), negativeTtl(answer));
            }
            current = chain.end();
        }
        return Outcome.temporary("CNAME chain from " + name + " is a loop or longer than " + MAX_CNAME_HOPS);
    }

    /** The records of the type at the end of the CNAME chain in one answer section, and the chain's least TTL. */
    private record Chain(Name end, List<Record> records, long ttl) {}

    private static Chain follow(List<Record> section, Name start, int type) {
        Name current = start;
        long ttl = Long.MAX_VALUE;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            List<Record> records = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record r : section) {
                if (r.getName().equals(current) && r.getType() == type) {
                    records.add(r);
                } else if (r.getName().equals(current) && r.getType() == Type.CNAME) {
                    alias = (CNAMERecord) r;
                }
            }
            if (!records.isEmpty() || alias == null) {
                return new Chain(current, records, ttl);
            }
            ttl = Math.min(ttl, alias.getTTL());
            current = alias.getTarget();
        }
        return new Chain(current, List.of(), ttl);
    }

    private static long minTtl(List<Record> records) {
        return records.stream().mapToLong(Record::getTTL).min().orElse(0);
    }

    // RFC 2308 5: a negative answer is kept for the lesser of the SOA's TTL and its MINIMUM field
    private static Duration negativeTtl(Message answer) {
        for (Record r : answer.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
        return Duration.ZERO;
    }

    /** A server's answer, or why none came. */
    private record Exchange(Message message, String failure) {}

    private Exchange ask(Name name, int type) {
        String failure = "no nameserver";
        for (int i = 0; i < servers.size(); i++) {
            SimpleResolver server = servers.get(i);
            for (int attempt = 0; attempt <= retries; attempt++) {
                try {
                    Message answer = server.send(query(name, type));
                    int rcode = answer.getRcode();
                    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                        return new Exchange(answer, null);
                    }
                    // SERVFAIL, REFUSED, FORMERR, NOTIMP: this server cannot help; try the next
                    failure = describe(server, name, type) + " answered " + Rcode.string(rcode);
                    break;
                } catch (IOException e) {
                    failure = describe(server, name, type) + ": " + e.getMessage();
                }
            }
        }
        return new Exchange(null, failure);
    }

    // RFC 6840 5.7: the AD bit in a query asks a validating resolver to say whether it authenticated the answer
    private Message query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (dnssec) {
            query.getHeader().setFlag(Flags.AD);
        }
        return query;
    }

    private static String describe(SimpleResolver server, Name name, int type) {
        InetSocketAddress address = server.getAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort() + " for " + name + "/" + Type.string(type);
    }
}
