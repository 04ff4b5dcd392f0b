package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A resolver that answers TXT queries from a table (name to answer), and nothing else; other names do not exist. */
record TxtTable(Map<String, Lookup<String>> answers) implements Resolver {

    /** Answers of one record each, from a table of name to record text. */
    static TxtTable ofTexts(Map<String, String> records) {
        Map<String, Lookup<String>> answers = new java.util.HashMap<>();
        records.forEach((name, text) -> answers.put(name, new Lookup.Found<>(List.of(text), Duration.ofMinutes(5))));
        return new TxtTable(answers);
    }

    @Override
    public Lookup<String> lookupTxt(String name) {
        return answers.getOrDefault(name.replaceAll("\\.$", ""), new Lookup.NoSuchDomain<>());
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
