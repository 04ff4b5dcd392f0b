package dev.petrel.fuzz;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A resolver answering from a zone written in the fuzz input, one record a line, so that seeds read like DNS:
 * {@code example.com TXT v=spf1 mx -all}, {@code example.com MX 10 mx.example.com}, {@code mx.example.com A
 * 192.0.2.1}, {@code mx.example.com AAAA 2001:db8::1}, {@code 1.2.0.192.in-addr.arpa PTR mx.example.com}, and
 * {@code broken.example TEMPFAIL} for a name whose look-ups fail. Names are matched without case or trailing dot;
 * a name not in the zone does not exist; lines that are not records are ignored. Counts its queries, so a fuzz
 * test can hold a checker to its look-up limits.
 */
public final class ZoneResolver implements Resolver {

    private static final Duration TTL = Duration.ofSeconds(300);

    private final Map<String, Map<String, List<String>>> zone = new HashMap<>();
    private int queries;

    public ZoneResolver(String text) {
        for (String line : text.split("\r?\n")) {
            String[] f = line.strip().split("\\s+", 3);
            if (f.length >= 2) {
                String type = f[1].toUpperCase(Locale.ROOT);
                zone.computeIfAbsent(key(f[0]), k -> new HashMap<>())
                        .computeIfAbsent(type, k -> new ArrayList<>()).add(f.length == 3 ? f[2] : "");
            }
        }
    }

    public int queries() {
        return queries;
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private <T> Lookup<T> answer(String name, String type, java.util.function.Function<String, T> parse) {
        queries++;
        Map<String, List<String>> records = zone.get(key(name));
        if (records == null) {
            return new Lookup.NoSuchDomain<>();
        }
        if (records.containsKey("TEMPFAIL")) {
            return new Lookup.TemporaryFailure<>("SERVFAIL from the fuzz zone");
        }
        List<T> out = new ArrayList<>();
        for (String value : records.getOrDefault(type, List.of())) {
            T parsed = parse.apply(value);
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return out.isEmpty() ? new Lookup.NoRecords<>() : new Lookup.Found<>(out, TTL);
    }

    @Override
    public Lookup<MxRecord> lookupMx(String name) {
        return answer(name, "MX", v -> {
            String[] f = v.split("\\s+");
            try {
                return f.length == 2 ? new MxRecord(Integer.parseInt(f[0]) & 0xffff, f[1]) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }

    @Override
    public Lookup<Inet4Address> lookupA(String name) {
        return answer(name, "A", v -> address(v) instanceof Inet4Address a ? a : null);
    }

    @Override
    public Lookup<Inet6Address> lookupAaaa(String name) {
        return answer(name, "AAAA", v -> address(v) instanceof Inet6Address a ? a : null);
    }

    @Override
    public Lookup<String> lookupTxt(String name) {
        return answer(name, "TXT", v -> v);
    }

    @Override
    public Lookup<String> lookupPtr(String name) {
        return answer(name, "PTR", v -> v);
    }

    /** An IPv4 or IPv6 literal, or null; never a DNS look-up. */
    public static InetAddress address(String text) {
        String t = text.strip();
        boolean literal = t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (t.contains(":") && t.matches("[0-9A-Fa-f:.]+"));
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(t.contains(":") ? "[" + t + "]" : t);
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
