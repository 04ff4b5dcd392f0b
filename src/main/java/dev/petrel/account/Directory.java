package dev.petrel.account;

import dev.petrel.mail.Address;
import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The accounts as operators change them: users, domains, aliases, DKIM keys and admin tokens. The command line
 * and the admin API both call these methods, so each rule lives here once. A value that is wrong (a bad alias
 * source, an admin token name in use) is an {@link IllegalArgumentException} whose message says what is wrong;
 * something that is not there is a false or empty answer.
 */
public final class Directory {

    /** NIST SP 800-63B 5.1.1.2: memorized secrets are at least 8 characters; longer is a denial of service. */
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;

    private final Users users;
    private final Domains domains;
    private final Aliases aliases;
    private final DkimKeyStore keys;
    private final DkimTools dkim;
    private final AdminTokens tokens;
    private final Clock clock;
    private final RandomGenerator random;

    /** What a change did, and what the operator should know about it (one line each). */
    public record Outcome<T>(T value, List<String> notes) {}

    /** A new admin token: the listed part, and the token itself, shown this once. */
    public record IssuedToken(AdminTokens.AdminToken token, String secret) {}

    /** @param random a secure generator: it makes salts and admin tokens */
    public Directory(Users users, Domains domains, Aliases aliases, DkimKeyStore keys, DkimTools dkim,
                     AdminTokens tokens, Clock clock, RandomGenerator random) {
        this.users = users;
        this.domains = domains;
        this.aliases = aliases;
        this.keys = keys;
        this.dkim = dkim;
        this.tokens = tokens;
        this.clock = clock;
        this.random = random;
    }

    /** Adds the user, or sets its password; its domain becomes a sending domain when it is new. */
    public Outcome<User> addUser(Address address, String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password given");
        }
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            throw new IllegalArgumentException("a password has at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw new IllegalArgumentException("a password has at most " + MAX_PASSWORD + " characters");
        }
        // hashed here, before the store sees it: the store keeps only the hashes
        User user = User.withPassword(address, password, random);
        users.add(user);
        domains.add(new DomainEntry(address.domain(), false));
        List<String> notes = new ArrayList<>();
        if (!domains.isLocal(address.domain())) {
            notes.add(address.domain() + " is not a local domain; mail to this address is not received here"
                    + " (petrel domain add " + address.domain() + " --local)");
        }
        return new Outcome<>(users.user(address).orElse(user), notes);
    }

    public List<User> users() {
        return users.users();
    }

    public Optional<User> user(Address address) {
        return users.user(address);
    }

    public boolean removeUser(Address address) {
        return users.remove(address);
    }

    public boolean setQuota(Address address, long octets) {
        return users.setQuota(address, octets);
    }

    /**
     * Adds the domain, or changes an existing one's kind only when one is asked for: {@code domain add localhost}
     * once made the local domain a sending one, and its users stopped receiving mail.
     *
     * @param local the kind asked for: true for local, false for sending, empty for "as it is" (a new domain sends)
     * @return the domain as it is now, and a line saying what happened
     */
    public Outcome<DomainEntry> addDomain(Domain name, Optional<Boolean> local) {
        String line;
        if (domains.add(new DomainEntry(name, local.orElse(false)))) {
            line = "domain " + name + " added" + (local.orElse(false) ? " (local)" : "");
        } else {
            boolean was = domains.isLocal(name);
            if (local.isEmpty() || local.get() == was) {
                line = "domain " + name + " exists already (" + kind(was) + "); unchanged";
            } else {
                domains.setLocal(name, local.get());
                line = "domain " + name + " was " + kind(was) + "; it is " + kind(local.get()) + " now";
            }
        }
        return new Outcome<>(domains.domain(name).orElseThrow(), List.of(line));
    }

    private static String kind(boolean local) {
        return local ? "local" : "a sending domain";
    }

    public List<DomainEntry> domains() {
        return domains.domains();
    }

    public Optional<DomainEntry> domain(Domain name) {
        return domains.domain(name);
    }

    /**
     * Removes the domain and its aliases (which would otherwise go on taking its mail); its users and DKIM keys
     * stay, and the notes say so. The value is false when there was no such domain.
     */
    public Outcome<Boolean> removeDomain(Domain name) {
        if (!domains.remove(name)) {
            return new Outcome<>(false, List.of());
        }
        List<String> notes = new ArrayList<>();
        List<Alias> its = aliases.aliases().stream().filter(a -> a.domain().equals(name)).toList();
        its.forEach(a -> aliases.remove(a.localPart(), a.domain()));
        if (!its.isEmpty()) {
            notes.add("removed its " + its.size() + " alias(es): "
                    + String.join(", ", its.stream().map(Alias::source).toList()));
        }
        long users = this.users.users().stream().filter(u -> u.address().domain().equals(name)).count();
        if (users > 0) {
            notes.add(users + " user(s) of " + name + " remain (petrel user remove ADDRESS)");
        }
        if (!keys.keys(name).isEmpty()) {
            notes.add("its DKIM keys remain stored");
        }
        return new Outcome<>(true, notes);
    }

    /**
     * Sends mail for {@code source} ({@code local@domain}, or {@code @domain} for the catch-all) on to the targets
     * as well; the alias keeps the targets it had.
     */
    public Outcome<Alias> addAlias(String source, List<Address> targets) {
        Alias alias = Alias.parse(source, targets);
        if (!alias.catchAll() && alias.targets().stream()
                .anyMatch(t -> Alias.key(t.localPart(), t.domain()).equals(alias.key()))) {
            throw new IllegalArgumentException("an alias to itself would send its mail round in a loop");
        }
        Alias stored = aliases.add(alias);
        List<String> notes = new ArrayList<>();
        if (!domains.isLocal(alias.domain())) {
            notes.add(alias.domain() + " is not a local domain; mail to it is not received here (petrel domain add "
                    + alias.domain() + " --local)");
        }
        return new Outcome<>(stored, notes);
    }

    public List<Alias> aliases() {
        return aliases.aliases();
    }

    /** Removes the alias of {@code source} with all its targets; false when there is none. */
    public boolean removeAlias(String source) {
        Alias key = Alias.parse(source, List.of(Address.of("unused@localhost")));
        return aliases.remove(key.localPart(), key.domain());
    }

    /**
     * Makes a key for the domain, the one its mail is signed with from now on (per algorithm); a domain Petrel
     * does not know gets its key, with a note (mail is signed only for domains it sends for).
     */
    public Outcome<DkimTools.Published> generateKey(Domain domain, String selector, String algorithm) {
        DkimKeyEntry key = dkim.generate(domain, selector, algorithm);
        keys.add(key);
        List<String> notes = domains.domain(domain).isPresent() ? List.of()
                : List.of(domain + " is not a domain Petrel knows: its mail is signed once it sends for it (petrel domain"
                        + " add " + domain + ")");
        return new Outcome<>(dkim.describe(key), notes);
    }

    public List<DkimTools.Published> keys() {
        return keys.keys().stream().map(dkim::describe).toList();
    }

    public List<DkimTools.Published> keys(Domain domain) {
        return keys.keys(domain).stream().map(dkim::describe).toList();
    }

    /** Whether the domain's keys are published in DNS as stored. */
    public DkimTools.Report checkKeys(Domain domain) {
        List<DkimKeyEntry> entries = keys.keys(domain);
        if (entries.isEmpty()) {
            String none = domain + " has no DKIM key (petrel dkim keygen " + domain + ")";
            return new DkimTools.Report(List.of(none), false, List.of(new Checklist.Item("dkim", domain.name(),
                    Checklist.Status.MISSING, none, null)));
        }
        return dkim.check(entries);
    }

    /** A new admin token named {@code name}. */
    public IssuedToken createToken(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("a token name is 1 to 64 letters, digits or ._@- characters");
        }
        String secret = AdminTokenSecrets.create(random);
        AdminTokens.AdminToken token = new AdminTokens.AdminToken(AdminTokenSecrets.id(secret).orElseThrow(), name,
                clock.instant());
        if (!tokens.add(token, AdminTokenSecrets.hash(secret))) {
            throw new IllegalArgumentException("there is a token named " + name + " already");
        }
        return new IssuedToken(token, secret);
    }

    public List<AdminTokens.AdminToken> tokens() {
        return tokens.tokens();
    }

    /** Revokes the token with this id or name; false when there is none. */
    public boolean revokeToken(String idOrName) {
        return tokens.revoke(idOrName);
    }

    /** The token that {@code presented} is, when it is a valid one. */
    public Optional<AdminTokens.AdminToken> verifyToken(String presented) {
        Optional<String> id = AdminTokenSecrets.id(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> hash = tokens.hash(id.get());
        if (hash.isEmpty() || !AdminTokenSecrets.matches(presented, hash.get())) {
            return Optional.empty();
        }
        return tokens.tokens().stream().filter(t -> t.id().equals(id.get())).findFirst();
    }
}
