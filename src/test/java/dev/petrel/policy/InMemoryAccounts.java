package dev.petrel.policy;

import dev.petrel.account.AccountStore;
import dev.petrel.account.Alias;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.ScramSecret;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An account store in memory for policy tests; like the file store, local parts match without regard to case. */
final class InMemoryAccounts implements AccountStore {

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<Domain, DomainEntry> domains = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();

    InMemoryAccounts localDomain(String name) {
        domains.put(Domain.parse(name), new DomainEntry(Domain.parse(name), true));
        return this;
    }

    InMemoryAccounts user(String address, String... sendingDomains) {
        Address a = Address.of(address);
        Set<Domain> sending = new java.util.HashSet<>();
        sending.add(a.domain());
        for (String d : sendingDomains) {
            sending.add(Domain.parse(d));
        }
        users.put(key(a), new User(a, "$argon2id$unused", new ScramSecret(new byte[16], 4096, new byte[32], new byte[32]),
                sending));
        return this;
    }

    private static String key(Address a) {
        return a.localPart().toLowerCase(Locale.ROOT) + "@" + a.domain();
    }

    @Override
    public Optional<User> user(Address address) {
        return Optional.ofNullable(users.get(key(address)));
    }

    @Override
    public List<User> users() {
        return List.copyOf(users.values());
    }

    @Override
    public User addUser(Address address, String password) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeUser(Address address) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<DomainEntry> domain(Domain name) {
        return Optional.ofNullable(domains.get(name));
    }

    @Override
    public List<DomainEntry> domains() {
        return List.copyOf(domains.values());
    }

    @Override
    public DomainEntry addDomain(Domain name, boolean local) {
        DomainEntry entry = new DomainEntry(name, local);
        domains.put(name, entry);
        return entry;
    }

    @Override
    public boolean removeDomain(Domain name) {
        return domains.remove(name) != null;
    }

    @Override
    public boolean setQuota(Address address, long octets) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Alias> alias(String localPart, Domain domain) {
        return Optional.ofNullable(aliases.get((localPart == null ? "" : localPart.toLowerCase(Locale.ROOT)) + "@" + domain));
    }

    @Override
    public List<Alias> aliases() {
        return List.copyOf(aliases.values());
    }

    @Override
    public Alias addAlias(Alias alias) {
        aliases.put(alias.key(), alias);
        return alias;
    }

    @Override
    public boolean removeAlias(String localPart, Domain domain) {
        return aliases.remove((localPart == null ? "" : localPart.toLowerCase(Locale.ROOT)) + "@" + domain) != null;
    }

    @Override
    public List<DkimKeyEntry> dkimKeys(Domain domain) {
        return List.of();
    }

    @Override
    public void addDkimKey(DkimKeyEntry key) {
        throw new UnsupportedOperationException();
    }
}
