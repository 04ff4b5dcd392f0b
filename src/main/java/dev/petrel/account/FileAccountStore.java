package dev.petrel.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Users, domains and aliases in one JSON file under the data folder. Writers take a lock, write a new file, fsync it
 * and rename it over the old one, so readers never see half a change; readers reload when the file changes,
 * so a running server sees what {@code petrel user add} did a moment before.
 */
public final class FileAccountStore implements AccountStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path lockFile;
    private final RandomGenerator random;
    private final List<Domain> seedDomains;
    // versions that no file has: not read yet, and no file
    private static final Object UNREAD = new Object();
    private static final Object MISSING = new Object();

    private final Clock clock;
    private final Duration recheck;
    private volatile Snapshot snapshot = Snapshot.unread();
    private volatile long checkedAt;

    private record Snapshot(Object version, Map<String, User> users, Map<Domain, DomainEntry> domains,
                            Map<String, Alias> aliases, List<DkimKeyEntry> dkimKeys) {

        static Snapshot unread() {
            return new Snapshot(UNREAD, Map.of(), Map.of(), Map.of(), List.of());
        }

        Snapshot withUsers(Map<String, User> changed) {
            return new Snapshot(null, changed, domains, aliases, dkimKeys);
        }

        Snapshot withDomains(Map<Domain, DomainEntry> changed) {
            return new Snapshot(null, users, changed, aliases, dkimKeys);
        }

        Snapshot withAliases(Map<String, Alias> changed) {
            return new Snapshot(null, users, domains, changed, dkimKeys);
        }

        Snapshot withDkimKeys(List<DkimKeyEntry> changed) {
            return new Snapshot(null, users, domains, aliases, changed);
        }
    }

    /**
     * A store that looks for changes on every read.
     *
     * @param seedDomains local domains a store without a file has (the embedded default is {@code localhost})
     */
    public FileAccountStore(Path file, RandomGenerator random, List<Domain> seedDomains) {
        this(file, random, seedDomains, Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * A store that looks for changes made by other processes at most once per {@code recheck}, which keeps a
     * file system call off every RCPT of a busy server. Its own changes it sees at once.
     */
    public FileAccountStore(Path file, RandomGenerator random, List<Domain> seedDomains, Clock clock, Duration recheck) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.random = random;
        this.seedDomains = List.copyOf(seedDomains);
        this.clock = clock;
        this.recheck = recheck;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        long now = clock.millis();
        if (s.version() != UNREAD && now - checkedAt < recheck.toMillis()) {
            return s;
        }
        Object version = version();
        checkedAt = now;
        if (version.equals(s.version())) {
            return s;
        }
        if (version == MISSING) {
            Map<Domain, DomainEntry> seeded = new LinkedHashMap<>();
            seedDomains.forEach(d -> seeded.put(d, new DomainEntry(d, true)));
            s = new Snapshot(MISSING, Map.of(), seeded, Map.of(), List.of());
        } else {
            try {
                s = parse(version, JSON.readTree(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        snapshot = s;
        return s;
    }

    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<User> user(Address address) {
        return Optional.ofNullable(current().users().get(key(address)));
    }

    @Override
    public List<User> users() {
        return List.copyOf(current().users().values());
    }

    @Override
    public Optional<DomainEntry> domain(Domain name) {
        return Optional.ofNullable(current().domains().get(name));
    }

    @Override
    public List<DomainEntry> domains() {
        return List.copyOf(current().domains().values());
    }

    @Override
    public User addUser(Address address, String password) throws IOException {
        User user = new User(address, new PasswordHasher(random).hash(password), ScramSecret.derive(password, random),
                Set.of(address.domain()));
        change(s -> {
            Map<String, User> users = new LinkedHashMap<>(s.users());
            User old = users.get(key(address));
            // a new password keeps the mailbox's quota
            users.put(key(address), old == null ? user : user.withQuota(old.quota()));
            Map<Domain, DomainEntry> domains = new LinkedHashMap<>(s.domains());
            domains.putIfAbsent(address.domain(), new DomainEntry(address.domain(), false));
            return new Snapshot(null, users, domains, s.aliases(), s.dkimKeys());
        });
        return user;
    }

    @Override
    public boolean removeUser(Address address) throws IOException {
        boolean[] removed = {false};
        change(s -> {
            Map<String, User> users = new LinkedHashMap<>(s.users());
            removed[0] = users.remove(key(address)) != null;
            return s.withUsers(users);
        });
        return removed[0];
    }

    @Override
    public DomainEntry addDomain(Domain name, boolean local) throws IOException {
        DomainEntry entry = new DomainEntry(name, local);
        change(s -> {
            Map<Domain, DomainEntry> domains = new LinkedHashMap<>(s.domains());
            domains.put(name, entry);
            return s.withDomains(domains);
        });
        return entry;
    }

    @Override
    public boolean removeDomain(Domain name) throws IOException {
        boolean[] removed = {false};
        change(s -> {
            Map<Domain, DomainEntry> domains = new LinkedHashMap<>(s.domains());
            removed[0] = domains.remove(name) != null;
            return s.withDomains(domains);
        });
        return removed[0];
    }

    @Override
    public boolean setQuota(Address address, long octets) throws IOException {
        boolean[] found = {false};
        change(s -> {
            Map<String, User> users = new LinkedHashMap<>(s.users());
            User user = users.get(key(address));
            found[0] = user != null;
            if (user != null) {
                users.put(key(address), user.withQuota(octets));
            }
            return s.withUsers(users);
        });
        return found[0];
    }

    @Override
    public List<DkimKeyEntry> dkimKeys(Domain domain) {
        return current().dkimKeys().stream().filter(k -> k.domain().equals(domain)).toList();
    }

    @Override
    public void addDkimKey(DkimKeyEntry key) throws IOException {
        change(s -> {
            List<DkimKeyEntry> keys = new ArrayList<>();
            for (DkimKeyEntry k : s.dkimKeys()) {
                if (k.domain().equals(key.domain()) && k.selector().equals(key.selector())) {
                    continue;
                }
                boolean sameKind = k.domain().equals(key.domain()) && k.keyType().equals(key.keyType());
                keys.add(key.active() && sameKind ? k.withActive(false) : k);
            }
            keys.add(key);
            return s.withDkimKeys(keys);
        });
    }

    @Override
    public Optional<Alias> alias(String localPart, Domain domain) {
        return Optional.ofNullable(current().aliases().get(Alias.key(localPart, domain)));
    }

    @Override
    public List<Alias> aliases() {
        return List.copyOf(current().aliases().values());
    }

    @Override
    public Alias addAlias(Alias alias) throws IOException {
        Alias[] stored = {alias};
        change(s -> {
            Map<String, Alias> aliases = new LinkedHashMap<>(s.aliases());
            Alias old = aliases.get(alias.key());
            if (old != null) {
                List<Address> targets = new ArrayList<>(old.targets());
                alias.targets().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
                stored[0] = new Alias(old.localPart(), old.domain(), targets);
            }
            aliases.put(alias.key(), stored[0]);
            return s.withAliases(aliases);
        });
        return stored[0];
    }

    @Override
    public boolean removeAlias(String localPart, Domain domain) throws IOException {
        boolean[] removed = {false};
        change(s -> {
            Map<String, Alias> aliases = new LinkedHashMap<>(s.aliases());
            removed[0] = aliases.remove(Alias.key(localPart, domain)) != null;
            return s.withAliases(aliases);
        });
        return removed[0];
    }

    private static String key(Address address) {
        return address.localPart().toLowerCase(Locale.ROOT) + "@" + address.domain().name();
    }

    // Read, change and replace the file under an exclusive lock shared by every process.
    private void change(UnaryOperator<Snapshot> edit) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            // under the lock, read the file as it is now, not as it was at the last look
            snapshot = Snapshot.unread();
            Snapshot next = edit.apply(current());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(render(next));
            // the file holds password hashes: it is never readable by others, not even while it is written
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            snapshot = Snapshot.unread();
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    }

    private static ObjectNode render(Snapshot s) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode domains = root.putArray("domains");
        for (DomainEntry d : s.domains().values()) {
            domains.addObject().put("name", d.name().name()).put("local", d.local());
        }
        ArrayNode users = root.putArray("users");
        Base64.Encoder b64 = Base64.getEncoder();
        for (User u : s.users().values()) {
            ObjectNode n = users.addObject();
            n.put("address", u.address().toString());
            n.put("password", u.passwordHash());
            ObjectNode scram = n.putObject("scram_sha_256");
            scram.put("salt", b64.encodeToString(u.scram().salt()));
            scram.put("iterations", u.scram().iterations());
            scram.put("stored_key", b64.encodeToString(u.scram().storedKey()));
            scram.put("server_key", b64.encodeToString(u.scram().serverKey()));
            ArrayNode sending = n.putArray("sending_domains");
            u.sendingDomains().stream().map(Domain::name).sorted().forEach(sending::add);
            if (u.hasQuota()) {
                n.put("quota", u.quota());
            }
        }
        ArrayNode aliases = root.putArray("aliases");
        for (Alias a : s.aliases().values()) {
            ArrayNode targets = aliases.addObject().put("source", a.source()).putArray("targets");
            a.targets().forEach(t -> targets.add(t.toString()));
        }
        ArrayNode keys = root.putArray("dkim_keys");
        for (DkimKeyEntry k : s.dkimKeys()) {
            keys.addObject().put("domain", k.domain().name()).put("selector", k.selector()).put("type", k.keyType())
                    .put("active", k.active()).put("private_key", b64.encodeToString(k.pkcs8()));
        }
        return root;
    }

    private static Snapshot parse(Object version, JsonNode root) {
        Map<Domain, DomainEntry> domains = new LinkedHashMap<>();
        for (JsonNode d : root.path("domains")) {
            Domain name = Domain.parse(d.path("name").asText());
            domains.put(name, new DomainEntry(name, d.path("local").asBoolean(false)));
        }
        Map<String, User> users = new LinkedHashMap<>();
        Base64.Decoder b64 = Base64.getDecoder();
        for (JsonNode u : root.path("users")) {
            Address address = Address.of(u.path("address").asText());
            JsonNode s = u.path("scram_sha_256");
            ScramSecret scram = new ScramSecret(b64.decode(s.path("salt").asText()), s.path("iterations").asInt(),
                    b64.decode(s.path("stored_key").asText()), b64.decode(s.path("server_key").asText()));
            Set<Domain> sending = new HashSet<>();
            for (JsonNode name : u.path("sending_domains")) {
                sending.add(Domain.parse(name.asText()));
            }
            users.put(key(address), new User(address, u.path("password").asText(), scram, sending,
                    u.path("quota").asLong(User.NO_QUOTA)));
        }
        Map<String, Alias> aliases = new LinkedHashMap<>();
        for (JsonNode a : root.path("aliases")) {
            List<Address> targets = new ArrayList<>();
            for (JsonNode t : a.path("targets")) {
                targets.add(Address.of(t.asText()));
            }
            Alias alias = Alias.parse(a.path("source").asText(), targets);
            aliases.put(alias.key(), alias);
        }
        List<DkimKeyEntry> keys = new ArrayList<>();
        for (JsonNode k : root.path("dkim_keys")) {
            keys.add(new DkimKeyEntry(Domain.parse(k.path("domain").asText()), k.path("selector").asText(),
                    k.path("type").asText(), b64.decode(k.path("private_key").asText()), k.path("active").asBoolean()));
        }
        return new Snapshot(version, users, domains, aliases, keys);
    }

    /** The names of all users, for listing. */
    public List<String> userNames() {
        List<String> out = new ArrayList<>();
        users().forEach(u -> out.add(u.address().toString()));
        return out;
    }
}
