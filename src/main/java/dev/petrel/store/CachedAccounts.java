package dev.petrel.store;

import dev.petrel.account.Alias;
import dev.petrel.account.Aliases;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.account.User;
import dev.petrel.account.Users;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The account roles as the running server reads them: each look-up of a user, a domain, an alias or a domain's DKIM
 * keys is answered from
 * a {@link LookupCache} for up to {@code ttl}, lists and writes go to the store (and a write forgets what was
 * cached). {@link #clear} is for SIGHUP.
 */
public final class CachedAccounts {

    /** Entries each cache holds at most. */
    static final int MAX_ENTRIES = 100_000;

    private final LookupCache<Address, Optional<User>> users;
    private final LookupCache<Domain, Optional<DomainEntry>> domains;
    private final LookupCache<AliasKey, Optional<Alias>> aliases;
    private final LookupCache<Domain, List<DkimKeyEntry>> dkimKeys;
    private final Users userStore;
    private final Domains domainStore;
    private final Aliases aliasStore;
    private final DkimKeyStore dkimKeyStore;

    private record AliasKey(String localPart, Domain domain) {}

    public CachedAccounts(Stores stores, Duration ttl) {
        this(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(), ttl, System::nanoTime);
    }

    CachedAccounts(Users users, Domains domains, Aliases aliases, DkimKeyStore dkimKeys, Duration ttl,
                   LongSupplier nanoTime) {
        this.userStore = users;
        this.domainStore = domains;
        this.aliasStore = aliases;
        this.dkimKeyStore = dkimKeys;
        this.dkimKeys = new LookupCache<>(ttl.toNanos(), MAX_ENTRIES, nanoTime);
        this.users = new LookupCache<>(ttl.toNanos(), MAX_ENTRIES, nanoTime);
        this.domains = new LookupCache<>(ttl.toNanos(), MAX_ENTRIES, nanoTime);
        this.aliases = new LookupCache<>(ttl.toNanos(), MAX_ENTRIES, nanoTime);
    }

    /** Forgets every cached answer (SIGHUP). */
    public void clear() {
        users.clear();
        domains.clear();
        aliases.clear();
        dkimKeys.clear();
    }

    public Users users() {
        return new Users() {
            @Override
            public Optional<User> user(Address address) {
                return users.get(address, userStore::user);
            }

            @Override
            public List<User> users() {
                return userStore.users();
            }

            @Override
            public User add(User user) {
                users.clear();
                return userStore.add(user);
            }

            @Override
            public boolean remove(Address address) {
                users.clear();
                return userStore.remove(address);
            }

            @Override
            public boolean setQuota(Address address, long octets) {
                users.clear();
                return userStore.setQuota(address, octets);
            }
        };
    }

    public Domains domains() {
        return new Domains() {
            @Override
            public Optional<DomainEntry> domain(Domain name) {
                return domains.get(name, domainStore::domain);
            }

            @Override
            public List<DomainEntry> domains() {
                return domainStore.domains();
            }

            @Override
            public boolean add(DomainEntry domain) {
                domains.clear();
                return domainStore.add(domain);
            }

            @Override
            public boolean setLocal(Domain name, boolean local) {
                domains.clear();
                return domainStore.setLocal(name, local);
            }

            @Override
            public boolean remove(Domain name) {
                domains.clear();
                return domainStore.remove(name);
            }
        };
    }

    public Aliases aliases() {
        return new Aliases() {
            @Override
            public Optional<Alias> alias(String localPart, Domain domain) {
                return aliases.get(new AliasKey(localPart, domain), k -> aliasStore.alias(k.localPart(), k.domain()));
            }

            @Override
            public List<Alias> aliases() {
                return aliasStore.aliases();
            }

            @Override
            public Alias add(Alias alias) {
                aliases.clear();
                return aliasStore.add(alias);
            }

            @Override
            public boolean remove(String localPart, Domain domain) {
                aliases.clear();
                return aliasStore.remove(localPart, domain);
            }
        };
    }

    /** The DKIM keys as intake reads them for every message it signs (or finds nothing to sign with). */
    public DkimKeyStore dkimKeys() {
        return new DkimKeyStore() {
            @Override
            public List<DkimKeyEntry> keys(Domain domain) {
                return dkimKeys.get(domain, dkimKeyStore::keys);
            }

            @Override
            public List<DkimKeyEntry> keys() {
                return dkimKeyStore.keys();
            }

            @Override
            public void add(DkimKeyEntry key) {
                dkimKeys.clear();
                dkimKeyStore.add(key);
            }
        };
    }
}
