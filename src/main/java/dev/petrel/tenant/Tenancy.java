package dev.petrel.tenant;

import dev.petrel.account.Directory;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Tenants, streams and API keys as operators and applications change them; the command line and the APIs call
 * these methods, so each rule lives here once: {@code default} always exists and stays; a tenant that still owns
 * users, domains or keys is not removed; stream names are unique per tenant; a key is made only for a stream that
 * exists; a revoked key fails at once (nothing on the way to {@link #verifyKey} is cached). A wrong value is an
 * {@link IllegalArgumentException} whose message says what is wrong; something not there is a false or empty answer.
 */
public final class Tenancy {

    /** The most characters of a tenant's identification. */
    public static final int MAX_IDENTIFICATION = 1000;

    // a fresh id that is taken already (1 in 2^40 per key) is drawn again, this many times at most
    private static final int ID_ATTEMPTS = 5;

    private final Tenants tenants;
    private final Streams streams;
    private final ApiKeys keys;
    private final Directory directory;
    private final Clock clock;
    private final RandomGenerator random;

    /** A new key: the listed part, and the key itself, shown this once. */
    public record IssuedKey(ApiKey key, String secret) {}

    /** @param random a secure generator: it makes the keys */
    public Tenancy(Tenants tenants, Streams streams, ApiKeys keys, Directory directory, Clock clock,
                   RandomGenerator random) {
        this.tenants = tenants;
        this.streams = streams;
        this.keys = keys;
        this.directory = directory;
        this.clock = clock;
        this.random = random;
    }

    // stored to the millisecond: what is returned is what a later read gives
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // -- tenants

    public Tenant addTenant(TenantId id) {
        Tenant tenant = new Tenant(id, "", now());
        if (!tenants.add(tenant)) {
            throw new IllegalArgumentException("there is a tenant named " + id + " already");
        }
        return tenant;
    }

    public List<Tenant> tenants() {
        return tenants.tenants();
    }

    public Optional<Tenant> tenant(TenantId id) {
        return tenants.tenant(id);
    }

    /** Sets the sender identification of commercial mail; false when there is no such tenant. */
    public boolean setIdentification(TenantId id, String identification) {
        return tenants.setIdentification(id, checkIdentification(identification));
    }

    /** The identification as it is kept (stripped); throws, saying why, when it cannot be one. */
    public static String checkIdentification(String identification) {
        if (identification == null || identification.isBlank()) {
            throw new IllegalArgumentException("an identification is some text: a name, a postal address, a contact");
        }
        if (identification.length() > MAX_IDENTIFICATION || identification.chars().anyMatch(c -> c < 32 && c != '\n')) {
            throw new IllegalArgumentException("an identification is at most " + MAX_IDENTIFICATION
                    + " characters of text (line breaks allowed, no other control characters)");
        }
        return identification.strip();
    }

    /**
     * Changes the tenant's limits (messages a second, messages a day; 0 for none); a null keeps that one as it is.
     * Empty when there is no such tenant, else the tenant as it is now. A running server reads limits again
     * every second ({@code policy.SendLimits}).
     */
    public Optional<Tenant> setLimits(TenantId id, Long perSecond, Long perDay) {
        Optional<Tenant> tenant = tenants.tenant(id);
        if (tenant.isEmpty()) {
            return Optional.empty();
        }
        Limits limits = tenant.get().limits().with(perSecond, perDay);
        if (!tenants.setLimits(id, limits)) {
            return Optional.empty();
        }
        return tenants.tenant(id);
    }

    /**
     * Removes the tenant with its streams; false when there is none. Refused, saying what remains, for
     * {@code default} and for a tenant that still owns users, domains or keys.
     */
    public boolean removeTenant(TenantId id) {
        if (id.isDefault()) {
            throw new IllegalArgumentException("the tenant default always exists; it cannot be removed");
        }
        if (tenants.tenant(id).isEmpty()) {
            return false;
        }
        List<String> remaining = new ArrayList<>();
        remains(remaining, tenants.users(id).size(), "user(s)");
        remains(remaining, tenants.domains(id).size(), "domain(s)");
        remains(remaining, keys.keys(id).size(), "API key(s)");
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("tenant " + id + " still has " + String.join(", ", remaining)
                    + "; remove or revoke them first");
        }
        return tenants.remove(id);
    }

    private static void remains(List<String> remaining, int count, String what) {
        if (count > 0) {
            remaining.add(count + " " + what);
        }
    }

    private void requireTenant(TenantId id) {
        if (tenants.tenant(id).isEmpty()) {
            throw new IllegalArgumentException("no tenant " + id + " (petrel tenant add " + id + ")");
        }
    }

    public List<Domain> domains(TenantId id) {
        return tenants.domains(id);
    }

    public List<Address> users(TenantId id) {
        return tenants.users(id);
    }

    public Optional<TenantId> tenantOf(Domain domain) {
        return tenants.tenantOf(domain);
    }

    public Optional<TenantId> tenantOf(Address user) {
        return tenants.tenantOf(user);
    }

    // -- users and domains of a tenant

    /**
     * Adds the user (or sets its password) through the directory, as a user of {@code tenant}: empty keeps an
     * existing user's tenant and gives a new one to its domain's tenant, or {@code default}. A new domain goes to
     * the user's tenant; a user is refused in a tenant other than its own or its domain's.
     */
    public Directory.Outcome<User> addUser(Optional<TenantId> tenant, Address address, String password) {
        Optional<TenantId> current = tenants.tenantOf(address);
        Optional<TenantId> domainTenant = tenants.tenantOf(address.domain());
        TenantId target = tenant.orElse(current.orElse(domainTenant.orElse(TenantId.DEFAULT)));
        requireTenant(target);
        if (current.isPresent() && !current.get().equals(target)) {
            throw new IllegalArgumentException("user " + address + " belongs to tenant " + current.get());
        }
        if (domainTenant.isPresent() && !domainTenant.get().equals(target)) {
            throw new IllegalArgumentException("domain " + address.domain() + " belongs to tenant "
                    + domainTenant.get() + ", not " + target);
        }
        Directory.Outcome<User> added = directory.addUser(address, password);
        tenants.assignUser(target, address);
        if (domainTenant.isEmpty()) {
            tenants.assignDomain(target, address.domain());
        }
        return added;
    }

    /**
     * Adds the domain through the directory, as a domain of {@code tenant}: empty keeps an existing domain's tenant
     * and gives a new one to {@code default}; a domain of another tenant is refused.
     */
    public Directory.Outcome<DomainEntry> addDomain(Optional<TenantId> tenant, Domain name, Optional<Boolean> local) {
        Optional<TenantId> current = tenants.tenantOf(name);
        TenantId target = tenant.orElse(current.orElse(TenantId.DEFAULT));
        requireTenant(target);
        if (current.isPresent() && !current.get().equals(target)) {
            throw new IllegalArgumentException("domain " + name + " belongs to tenant " + current.get());
        }
        Directory.Outcome<DomainEntry> added = directory.addDomain(name, local);
        tenants.assignDomain(target, name);
        return added;
    }

    // -- streams

    public Stream addStream(TenantId tenant, String name, Stream.Kind kind, String source, String ehlo) {
        return addStream(tenant, name, kind, source, ehlo, null);
    }

    /**
     * Adds a stream that sends from the pool {@code egress} (null: from its own source and EHLO name, when given,
     * else the default); whether the pool is configured is for the caller, which has the configuration.
     */
    public Stream addStream(TenantId tenant, String name, Stream.Kind kind, String source, String ehlo,
                            String egress) {
        requireTenant(tenant);
        Stream stream = Stream.of(tenant, Stream.checkName(name), kind, source, ehlo, egress, now());
        if (!streams.add(stream)) {
            throw new IllegalArgumentException("tenant " + tenant + " has a stream named " + name + " already");
        }
        return stream;
    }

    public List<Stream> streams(TenantId tenant) {
        return streams.streams(tenant);
    }

    public Optional<Stream> stream(TenantId tenant, String name) {
        return streams.stream(tenant, name);
    }

    /**
     * Pauses or resumes the stream, as an operator does; a resume is noted with its time, and the reputation guard
     * judges the stream afresh from then on. False when the tenant has no stream of that name.
     */
    public boolean setPaused(TenantId tenant, String name, boolean paused) {
        return paused ? streams.setPaused(tenant, name, true) : streams.resume(tenant, name, now());
    }

    /**
     * Pauses a running stream for its reputation, with the reason; false when it is paused already or the tenant
     * has no stream of that name.
     */
    public boolean pauseForReputation(TenantId tenant, String name, String reason, String text) {
        return streams.pause(tenant, name, new Stream.Pause(reason, text, now()));
    }

    /**
     * Changes the stream's limits, as {@link #setLimits(TenantId, Long, Long)} does a tenant's; they apply on top of
     * the tenant's. Empty when the tenant has no stream of that name, else the stream as it is now.
     */
    public Optional<Stream> setLimits(TenantId tenant, String name, Long perSecond, Long perDay) {
        Optional<Stream> stream = streams.stream(tenant, name);
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        Limits limits = stream.get().limits().with(perSecond, perDay);
        if (!streams.setLimits(tenant, name, limits)) {
            return Optional.empty();
        }
        return streams.stream(tenant, name);
    }

    /** Puts the stream in the sandbox or takes it out; false when the tenant has no stream of that name. */
    public boolean setSandbox(TenantId tenant, String name, boolean sandbox) {
        return streams.setSandbox(tenant, name, sandbox);
    }

    // -- API keys

    /** A new key of the tenant, for any of its streams or (when given) only that one, which must exist. */
    public IssuedKey createKey(TenantId tenant, Optional<String> stream) {
        requireTenant(tenant);
        if (stream.isPresent() && streams.stream(tenant, stream.get()).isEmpty()) {
            throw new IllegalArgumentException("tenant " + tenant + " has no stream " + stream.get()
                    + " (petrel stream add " + tenant + " " + stream.get() + " --kind transactional|broadcast)");
        }
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            String secret = ApiKeySecrets.create(random);
            ApiKey key = new ApiKey(ApiKeySecrets.id(secret).orElseThrow(), tenant, stream.orElse(null),
                    now());
            if (keys.add(key, ApiKeySecrets.hash(secret))) {
                return new IssuedKey(key, secret);
            }
        }
        throw new IllegalStateException("no free key id after " + ID_ATTEMPTS + " attempts; is the generator random?");
    }

    public List<ApiKey> keys(TenantId tenant) {
        return keys.keys(tenant);
    }

    /** Revokes the key with this public id, whichever tenant has it; it fails at once. False when there is none. */
    public boolean revokeKey(String id) {
        return keys.find(id).map(k -> keys.revoke(k.key().tenant(), id)).orElse(false);
    }

    /** Revokes the tenant's key with this public id; false when the tenant has none (another's key stays). */
    public boolean revokeKey(TenantId tenant, String id) {
        return keys.revoke(tenant, id);
    }

    /**
     * The key that {@code presented} is, when it is a valid one: read from the store each time, compared in constant
     * time. The HTTP APIs and SMTP AUTH both ask this.
     */
    public Optional<ApiKey> verifyKey(String presented) {
        Optional<String> id = ApiKeySecrets.id(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<ApiKeys.Hashed> stored = keys.find(id.get());
        if (stored.isEmpty() || !ApiKeySecrets.matches(presented, stored.get().hash())) {
            return Optional.empty();
        }
        return Optional.of(stored.get().key());
    }

    /** The key of this public id as it is now (an SMTP session holds only the id): empty once revoked. */
    public Optional<ApiKey> key(String id) {
        return keys.find(id).map(ApiKeys.Hashed::key);
    }

    /**
     * The stream a message sent with {@code key} goes out on: the one asked for (an {@code X-Petrel-Stream} header,
     * a {@code stream} field), else the key's own; refused when a key scoped to one stream asks for another or the
     * tenant has no such stream. Empty when neither names one.
     */
    public Optional<Stream> streamFor(ApiKey key, Optional<String> asked) {
        if (asked.isPresent() && key.scoped() && !asked.get().equals(key.stream())) {
            throw new IllegalArgumentException("this API key may send only on stream " + key.stream() + ", not "
                    + asked.get());
        }
        Optional<String> name = asked.or(() -> Optional.ofNullable(key.stream()));
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<Stream> stream = streams.stream(key.tenant(), name.get());
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("no stream " + name.get() + " for this API key's tenant");
        }
        return stream;
    }

    /** Whether the key's tenant owns the domain: a key sends only from its tenant's domains. */
    public boolean mayUseDomain(ApiKey key, Domain domain) {
        return tenants.tenantOf(domain).map(key.tenant()::equals).orElse(false);
    }
}
