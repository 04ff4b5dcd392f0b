package dev.petrel.conversation;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.User;
import dev.petrel.cli.Petrel;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.server.Role;
import dev.petrel.smtp.ServerSession;
import dev.petrel.store.Stores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Petrel, started from a configuration text for one script: one listener per role on port 0 of
 * 127.0.0.1 (in the order mx, submission, submissions), a data folder of its own, and the users, domains,
 * relay networks and limits the script's set-up lines ask for.
 */
final class ScriptServer implements AutoCloseable {

    static final String HOSTNAME = "mx.petrel.test";
    // guarded by the class: set-ups and the account file made for them
    private static final Map<String, Path> ACCOUNTS = new HashMap<>();

    private final Petrel petrel;
    private final ByteArrayOutputStream log;

    private ScriptServer(Petrel petrel, ByteArrayOutputStream log) {
        this.petrel = petrel;
        this.log = log;
    }

    /**
     * @param shared a folder for what scripts share: the self-signed pair, made once and copied into each data
     *               folder, where the server looks for its own, so no script pays for making an RSA key; and
     *               account files, made once per set of users and domains, so no run pays for hashing again
     */
    static ScriptServer start(Script.Setup setup, Path dataDir, Path shared) throws IOException {
        Config config = ConfigLoader.parse(toml(setup, dataDir), dataDir);
        copyTls(shared.resolve("tls"), config.dataDir().resolve("tls"));
        Path accounts = preparedAccounts(setup, config, shared);
        if (accounts != null) {
            Files.copy(accounts, config.databaseFile(), StandardCopyOption.COPY_ATTRIBUTES);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Petrel petrel = Petrel.start(config, new PrintStream(log, true, StandardCharsets.UTF_8));
        return new ScriptServer(petrel, log);
    }

    static String toml(Script.Setup setup, Path dataDir) {
        StringBuilder t = new StringBuilder();
        t.append("hostname = \"").append(HOSTNAME).append("\"\n");
        t.append("data_dir = \"").append(dataDir.toAbsolutePath().toString().replace("\\", "\\\\")).append("\"\n");
        for (String role : List.of("mx", "submission", "submissions")) {
            t.append("[[listeners]]\naddress = \"127.0.0.1:0\"\nrole = \"").append(role).append("\"\n");
        }
        // mail queued for other domains must never leave the machine: DNS and MX port point at nothing
        t.append("[dns]\nnameservers = [\"127.0.0.1:9\"]\n[delivery]\nremote_port = 9\n");
        t.append("[http]\naddress = \"127.0.0.1:0\"\n");
        // local mail stays queued for the scripts to read: its mailbox server is not there either
        t.append("[local_delivery.transports]\n");
        for (String domain : localDomains(setup)) {
            t.append('"').append(domain).append("\" = \"lmtp:127.0.0.1:9\"\n");
        }
        t.append("[policy]\nrelay_networks = [").append(setup.relayNetworks().stream()
                .map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))).append("]\n");
        t.append("[limits]\n");
        for (Map.Entry<String, String> limit : setup.limits().entrySet()) {
            t.append(limit.getKey()).append(" = ").append(limit.getValue()).append('\n');
        }
        t.append("[timeouts]\n");
        for (Map.Entry<String, String> timeout : setup.timeouts().entrySet()) {
            t.append(timeout.getKey()).append(" = ").append(timeout.getValue()).append('\n');
        }
        return t.toString();
    }

    private static List<String> localDomains(Script.Setup setup) {
        List<String> out = new java.util.ArrayList<>(List.of("localhost", HOSTNAME));
        setup.localDomains().stream().filter(d -> !out.contains(d)).forEach(out::add);
        return out;
    }

    private static void copyTls(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    // The database for the set-up's users and domains: made the first time a set-up needs it, as
    // `petrel domain add` and `petrel user add` would make it; null when there are none.
    private static synchronized Path preparedAccounts(Script.Setup setup, Config config, Path shared)
            throws IOException {
        if (setup.users().isEmpty() && setup.localDomains().isEmpty() && setup.sendingDomains().isEmpty()) {
            return null;
        }
        String key = shared + " " + setup.users() + " " + setup.localDomains() + " " + setup.sendingDomains();
        Path file = ACCOUNTS.get(key);
        if (file == null) {
            Path folder = shared.resolve("accounts-" + ACCOUNTS.size());
            makeAccounts(setup, config, folder);
            file = folder.resolve(config.databaseFile().getFileName());
            ACCOUNTS.put(key, file);
        }
        return file;
    }

    // closed before it is copied: the last connection's close folds the write-ahead log into the file
    private static void makeAccounts(Script.Setup setup, Config config, Path folder) throws IOException {
        try (Stores accounts = Stores.open(Stores.EMBEDDED, folder,
                config.localDomains().stream().map(Domain::parse).toList(), line -> {})) {
            for (String d : setup.localDomains()) {
                addOrSet(accounts, Domain.parse(d), true);
            }
            for (String d : setup.sendingDomains()) {
                addOrSet(accounts, Domain.parse(d), false);
            }
            for (Map.Entry<String, String> user : setup.users().entrySet()) {
                Address a = Address.of(user.getKey());
                accounts.users().add(User.withPassword(a, user.getValue(), new SecureRandom()));
                accounts.domains().add(new DomainEntry(a.domain(), false));
            }
        }
    }

    private static void addOrSet(Stores accounts, Domain domain, boolean local) {
        if (!accounts.domains().add(new DomainEntry(domain, local))) {
            accounts.domains().setLocal(domain, local);
        }
    }

    Petrel petrel() {
        return petrel;
    }

    /** A session as a connection on the role's listener gets it, for a client on 127.0.0.1. */
    ServerSession newSession(Script.Role role) {
        return petrel.server().newSession(Role.valueOf(role.name()), InetAddress.getLoopbackAddress());
    }

    InetSocketAddress address(Script.Role role) {
        return petrel.addresses().get(role.ordinal());
    }

    int maxLineLength() {
        return petrel.config().limits().lineLength();
    }

    /** What the server logged so far, for a failure message. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        petrel.close();
    }
}
