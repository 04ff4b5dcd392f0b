package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A resolver that answers TXT queries from a table (name to record text), and nothing else. */
record TxtTable(Map<String, String> records) implements Resolver {

    @Override
    public Lookup<String> lookupTxt(String name) {
        String text = records.get(name.replaceAll("\\.$", ""));
        return text == null ? new Lookup.NoSuchDomain<>() : new Lookup.Found<>(List.of(text), Duration.ofMinutes(5));
    }

    @Override
    public Lookup<String> lookupPtr(String name) {
        throw new AssertionError("no PTR queries expected");
    }

    @Override
    public Lookup<MxRecord> lookupMx(String name) {
        throw new AssertionError("no MX queries expected");
    }

    @Override
    public Lookup<Inet4Address> lookupA(String name) {
        throw new AssertionError("no A queries expected");
    }

    @Override
    public Lookup<Inet6Address> lookupAaaa(String name) {
        throw new AssertionError("no AAAA queries expected");
    }
}
