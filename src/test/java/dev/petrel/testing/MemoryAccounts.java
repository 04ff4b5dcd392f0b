package dev.petrel.testing;

import dev.petrel.account.Alias;
import dev.petrel.account.Aliases;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.account.ScramSecret;
import dev.petrel.account.User;
import dev.petrel.account.Users;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every account role in memory, for tests of the code that reads them; it passes the same contract tests as the
 * SQL stores, so it behaves as they do (local parts without regard to case, lists in the order of addition).
 */
public final class MemoryAccounts implements Users, Domains, Aliases, DkimKeyStore {

    /** A credential nobody can log in with, for users whose password a test never uses. */
    public static final ScramSecret NO_SCRAM = new ScramSecret(new byte[16], 4096, new byte[32], new byte[32]);

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<Domain, DomainEntry> domains = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final List<DkimKeyEntry> keys = new ArrayList<>();

    public synchronized MemoryAccounts localDomain(String name) {
        domains.put(Domain.parse(name), new DomainEntry(Domain.parse(name), true));
        return this;
    }

    /** A user that may send from its own domain and the others named, with a password hash that matches nothing. */
    public synchronized MemoryAccounts user(String address, String... sendingDomains) {
        Address a = Address.of(address);
        Set<Domain> sending = new HashSet<>();
        sending.add(a.domain());
        for (String d : sendingDomains) {
            sending.add(Domain.parse(d));
        }
        add(new User(a, "$argon2id$unused", NO_SCRAM, sending));
        return this;
    }

    private static String key(Address a) {
        return a.localPart().toLowerCase(Locale.ROOT) + "@" + a.domain().name();
    }

    @Override
    public synchronized Optional<User> user(Address address) {
        return Optional.ofNullable(users.get(key(address)));
    }

    @Override
    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized User add(User user) {
        User old = users.get(key(user.address()));
        User stored = old == null ? user : user.withQuota(old.quota());
        users.put(key(user.address()), stored);
        return stored;
    }

    @Override
    public synchronized boolean remove(Address address) {
        return users.remove(key(address)) != null;
    }

    @Override
    public synchronized boolean setQuota(Address address, long octets) {
        User u = users.get(key(address));
        if (u != null) {
            users.put(key(address), u.withQuota(octets));
        }
        return u != null;
    }

    @Override
    public synchronized Optional<DomainEntry> domain(Domain name) {
        return Optional.ofNullable(domains.get(name));
    }

    @Override
    public synchronized List<DomainEntry> domains() {
        return List.copyOf(domains.values());
    }

    @Override
    public synchronized boolean add(DomainEntry domain) {
        return domains.putIfAbsent(domain.name(), domain) == null;
    }

    @Override
    public synchronized boolean setLocal(Domain name, boolean local) {
        return domains.computeIfPresent(name, (n, d) -> new DomainEntry(n, local)) != null;
    }

    @Override
    public synchronized boolean remove(Domain name) {
        return domains.remove(name) != null;
    }

    @Override
    public synchronized Optional<Alias> alias(String localPart, Domain domain) {
        return Optional.ofNullable(aliases.get(Alias.key(localPart, domain)));
    }

    @Override
    public synchronized List<Alias> aliases() {
        return List.copyOf(aliases.values());
    }

    @Override
    public synchronized Alias add(Alias alias) {
        Alias old = aliases.get(alias.key());
        Alias stored = alias;
        if (old != null) {
            List<Address> targets = new ArrayList<>(old.targets());
            alias.targets().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            stored = new Alias(old.localPart(), old.domain(), targets);
        }
        aliases.put(alias.key(), stored);
        return stored;
    }

    @Override
    public synchronized boolean remove(String localPart, Domain domain) {
        return aliases.remove(Alias.key(localPart, domain)) != null;
    }

    @Override
    public synchronized List<DkimKeyEntry> keys(Domain domain) {
        return keys.stream().filter(k -> k.domain().equals(domain)).toList();
    }

    @Override
    public synchronized List<DkimKeyEntry> keys() {
        return keys.stream().sorted(Comparator.comparing(k -> k.domain().name())).toList();
    }

    @Override
    public synchronized void add(DkimKeyEntry key) {
        keys.removeIf(k -> k.domain().equals(key.domain()) && k.selector().equals(key.selector()));
        if (key.active()) {
            keys.replaceAll(k -> k.domain().equals(key.domain()) && k.keyType().equals(key.keyType())
                    ? k.withActive(false) : k);
        }
        keys.add(key);
    }
}
