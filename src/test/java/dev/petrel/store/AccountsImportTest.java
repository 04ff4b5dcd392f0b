package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Alias;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.PasswordHasher;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The accounts.json of an older Petrel moves into the SQL store the first time the store is opened. */
@ExtendWith(PostgresExtension.class)
class AccountsImportTest {

    private static final Base64.Encoder B64 = Base64.getEncoder();

    @TempDir
    Path dir;

    // written as FileAccountStore wrote it: alice (quota, a second sending domain), bob, carol (a sending domain)
    private final User alice = User.withPassword(Address.of("Alice@example.com"), "alice's secret", new Random(1));

    private String accountsJson() {
        return """
                {
                  "domains" : [ { "name" : "localhost", "local" : true }, { "name" : "example.com", "local" : true },
                                { "name" : "sending.test", "local" : false } ],
                  "users" : [ {
                    "address" : "Alice@example.com", "password" : "%s",
                    "scram_sha_256" : { "salt" : "%s", "iterations" : %d, "stored_key" : "%s", "server_key" : "%s" },
                    "sending_domains" : [ "example.com", "sending.test" ], "quota" : 5000
                  }, {
                    "address" : "bob@localhost", "password" : "$argon2id$bob",
                    "scram_sha_256" : { "salt" : "AAAA", "iterations" : 4096, "stored_key" : "AQID", "server_key" : "BAUG" },
                    "sending_domains" : [ "localhost" ]
                  }, {
                    "address" : "carol@sending.test", "password" : "$argon2id$carol",
                    "scram_sha_256" : { "salt" : "AAAA", "iterations" : 4096, "stored_key" : "AQID", "server_key" : "BAUG" },
                    "sending_domains" : [ "sending.test" ]
                  } ],
                  "aliases" : [ { "source" : "Sales@example.com", "targets" : [ "alice@example.com", "bob@remote.test" ] } ],
                  "dkim_keys" : [
                    { "domain" : "example.com", "selector" : "old", "type" : "rsa", "active" : false, "private_key" : "AQI=" },
                    { "domain" : "example.com", "selector" : "new", "type" : "rsa", "active" : true, "private_key" : "AwQ=" }
                  ]
                }
                """.formatted(alice.passwordHash(), B64.encodeToString(alice.scram().salt()), alice.scram().iterations(),
                B64.encodeToString(alice.scram().storedKey()), B64.encodeToString(alice.scram().serverKey()));
    }

    private Path writeAccounts() throws IOException {
        Path file = dir.resolve("accounts.json");
        Files.writeString(file, accountsJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("accounts.json.lock"), "");
        return file;
    }

    @Test
    void anOldAccountsFileIsImportedIntoPetrelDbOnceAndKeptAsABackup() throws Exception {
        writeAccounts();
        List<String> notices = new ArrayList<>();
        try (Stores stores = Stores.open(Stores.EMBEDDED, dir, List.of(Domain.parse("seed.test")), notices::add)) {
            assertEquals(List.of("imported 3 users, 3 domains, 1 alias, 2 DKIM keys from accounts.json into petrel.db;"
                    + " the old file is kept as accounts.json.imported"), notices);
            assertImported(stores);
        }
        assertFalse(Files.exists(dir.resolve("accounts.json")));
        assertFalse(Files.exists(dir.resolve("accounts.json.lock")));
        assertEquals(accountsJson(), Files.readString(dir.resolve("accounts.json.imported"), StandardCharsets.UTF_8));
        // the next start finds nothing to import and changes nothing
        try (Stores stores = Stores.open(Stores.EMBEDDED, dir, List.of(Domain.parse("seed.test")), notices::add)) {
            assertEquals(1, notices.size());
            assertImported(stores);
        }
    }

    @Test
    void anOldAccountsFileIsImportedIntoPostgresql(PrivatePostgres postgres) throws Exception {
        writeAccounts();
        List<String> notices = new ArrayList<>();
        try (Stores stores = Stores.open(postgres.newDatabase(), dir, List.of(), notices::add)) {
            assertEquals(List.of("imported 3 users, 3 domains, 1 alias, 2 DKIM keys from accounts.json into the"
                    + " PostgreSQL store; the old file is kept as accounts.json.imported"), notices);
            assertImported(stores);
        }
    }

    private void assertImported(Stores stores) {
        // the file's domains, not the seed: it was the store
        assertEquals(List.of(new DomainEntry(Domain.parse("localhost"), true),
                new DomainEntry(Domain.parse("example.com"), true), new DomainEntry(Domain.parse("sending.test"), false)),
                stores.domains().domains());
        User a = stores.users().user(Address.of("alice@example.com")).orElseThrow();
        assertEquals("Alice@example.com", a.address().toString());
        assertTrue(PasswordHasher.verify("alice's secret", a.passwordHash()));
        assertArrayEquals(alice.scram().storedKey(), a.scram().storedKey());
        assertArrayEquals(alice.scram().serverKey(), a.scram().serverKey());
        assertEquals(5000, a.quota());
        assertTrue(a.maySendFrom(Address.of("x@sending.test")));
        assertEquals(List.of("Alice@example.com", "bob@localhost", "carol@sending.test"),
                stores.users().users().stream().map(u -> u.address().toString()).toList());
        Alias sales = stores.aliases().alias("sales", Domain.parse("example.com")).orElseThrow();
        assertEquals(List.of(Address.of("alice@example.com"), Address.of("bob@remote.test")), sales.targets());
        assertEquals(List.of(new DkimKeyEntry(Domain.parse("example.com"), "old", "rsa", new byte[] {1, 2}, false),
                new DkimKeyEntry(Domain.parse("example.com"), "new", "rsa", new byte[] {3, 4}, true)),
                stores.dkimKeys().keys(Domain.parse("example.com")));
    }

    @Test
    void aDamagedAccountsFileStopsTheStartAndStaysWhereItIs() throws Exception {
        Files.writeString(dir.resolve("accounts.json"), "{ \"users\" : [ { \"address\" : \"not an address\" } ] }");
        IOException e = assertThrows(IOException.class, () -> Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {}));
        assertTrue(e.getMessage().contains("accounts.json"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("accounts.json")));
        // nothing of it was stored, and the seed was not given either: the import is still to come
        Files.delete(dir.resolve("accounts.json"));
        try (Stores stores = Stores.open(Stores.EMBEDDED, dir, List.of(Domain.parse("seed.test")), line -> {})) {
            assertEquals(List.of(), stores.users().users());
        }
    }
}
