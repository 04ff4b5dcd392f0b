package dev.petrel.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.account.Alias;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.ScramSecret;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code accounts.json} that Petrel kept before its SQL store: users (Argon2id hashes, SCRAM-SHA-256
 * secrets, sending domains, quota), domains, aliases and DKIM keys. Only read, to import it once.
 */
record AccountsFile(List<User> users, List<DomainEntry> domains, List<Alias> aliases, List<DkimKeyEntry> dkimKeys) {

    static final String NAME = "accounts.json";

    static AccountsFile read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        try {
            return new AccountsFile(users(root), domains(root), aliases(root), dkimKeys(root));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<DomainEntry> domains(JsonNode root) {
        List<DomainEntry> out = new ArrayList<>();
        for (JsonNode d : root.path("domains")) {
            out.add(new DomainEntry(Domain.parse(d.path("name").asText()), d.path("local").asBoolean(false)));
        }
        return out;
    }

    private static List<User> users(JsonNode root) {
        List<User> out = new ArrayList<>();
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
            out.add(new User(address, u.path("password").asText(), scram, sending, u.path("quota").asLong(User.NO_QUOTA)));
        }
        return out;
    }

    private static List<Alias> aliases(JsonNode root) {
        List<Alias> out = new ArrayList<>();
        for (JsonNode a : root.path("aliases")) {
            List<Address> targets = new ArrayList<>();
            for (JsonNode t : a.path("targets")) {
                targets.add(Address.of(t.asText()));
            }
            out.add(Alias.parse(a.path("source").asText(), targets));
        }
        return out;
    }

    private static List<DkimKeyEntry> dkimKeys(JsonNode root) {
        List<DkimKeyEntry> out = new ArrayList<>();
        Base64.Decoder b64 = Base64.getDecoder();
        for (JsonNode k : root.path("dkim_keys")) {
            out.add(new DkimKeyEntry(Domain.parse(k.path("domain").asText()), k.path("selector").asText(),
                    k.path("type").asText(), b64.decode(k.path("private_key").asText()), k.path("active").asBoolean()));
        }
        return out;
    }
}
