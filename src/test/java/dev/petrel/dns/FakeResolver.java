package dev.petrel.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A resolver answering from tables the test fills; a name it was not told about does not exist. */
public final class FakeResolver implements Resolver {

    static final Duration TTL = Duration.ofSeconds(300);

    private final Map<String, Lookup<MxRecord>> mx = new HashMap<>();
    private final Map<String, Lookup<Inet4Address>> a = new HashMap<>();
    private final Map<String, Lookup<Inet6Address>> aaaa = new HashMap<>();
    private final Map<String, Lookup<String>> txt = new HashMap<>();
    private int queries;
    private int addressQueries;

    /** MX records given as "10 mx1.example.test", "20 mx2.example.test". */
    FakeResolver mx(String name, String... records) {
        List<MxRecord> list = java.util.Arrays.stream(records).map(r -> {
            String[] parts = r.split(" ");
            return new MxRecord(Integer.parseInt(parts[0]), parts[1]);
        }).toList();
        mx.put(name, new Lookup.Found<>(list, TTL));
        return this;
    }

    FakeResolver mx(String name, Lookup<MxRecord> outcome) {
        mx.put(name, outcome);
        return this;
    }

    /** A host with these addresses (IPv4 and IPv6 literals); the other family gets NODATA. */
    FakeResolver host(String name, String... addresses) {
        List<Inet4Address> v4 = new java.util.ArrayList<>();
        List<Inet6Address> v6 = new java.util.ArrayList<>();
        for (String address : addresses) {
            InetAddress parsed = literal(address);
            if (parsed instanceof Inet4Address four) {
                v4.add(four);
            } else {
                v6.add((Inet6Address) parsed);
            }
        }
        a.put(name, v4.isEmpty() ? new Lookup.NoRecords<>() : new Lookup.Found<>(v4, TTL));
        aaaa.put(name, v6.isEmpty() ? new Lookup.NoRecords<>() : new Lookup.Found<>(v6, TTL));
        mx.putIfAbsent(name, new Lookup.NoRecords<>());
        return this;
    }

    /** TXT records of a name, each given as one string. */
    public FakeResolver txt(String name, String... records) {
        txt.put(name, new Lookup.Found<>(List.of(records), TTL));
        return this;
    }

    FakeResolver addresses(String name, Lookup<Inet4Address> v4, Lookup<Inet6Address> v6) {
        a.put(name, v4);
        aaaa.put(name, v6);
        return this;
    }

    static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address.contains(":") ? "[" + address + "]" : address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    int queries() {
        return queries;
    }

    int addressQueries() {
        return addressQueries;
    }

    @Override
    public Lookup<MxRecord> lookupMx(String name) {
        return answer(mx, name);
    }

    @Override
    public Lookup<Inet4Address> lookupA(String name) {
        addressQueries++;
        return answer(a, name);
    }

    @Override
    public Lookup<Inet6Address> lookupAaaa(String name) {
        addressQueries++;
        return answer(aaaa, name);
    }

    @Override
    public Lookup<String> lookupTxt(String name) {
        return answer(txt, name);
    }

    @Override
    public Lookup<String> lookupPtr(String name) {
        return new Lookup.NoSuchDomain<>();
    }

    private <T> Lookup<T> answer(Map<String, Lookup<T>> table, String name) {
        queries++;
        return table.getOrDefault(name, new Lookup.NoSuchDomain<>());
    }
}
