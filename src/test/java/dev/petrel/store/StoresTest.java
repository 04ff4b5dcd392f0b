package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the embedded store: its file, its seed domains, its journal mode. */
class StoresTest {

    private static final Domain LOCALHOST = Domain.parse("localhost");

    @TempDir
    Path dir;

    private Stores open(List<String> notices) throws Exception {
        return Stores.open(Stores.EMBEDDED, dir, List.of(LOCALHOST), notices::add);
    }

    @Test
    void aNewStoreHasTheSeedDomainsAsLocalOnlyOnce() throws Exception {
        try (Stores stores = open(new ArrayList<>())) {
            assertEquals(List.of(new DomainEntry(LOCALHOST, true)), stores.domains().domains());
            // the seed domain may be removed, and stays removed
            assertTrue(stores.domains().remove(LOCALHOST));
        }
        try (Stores stores = open(new ArrayList<>())) {
            assertEquals(List.of(), stores.domains().domains());
        }
    }

    @Test
    void theDatabaseAndItsJournalAreReadableByTheOwnerAlone() throws Exception {
        try (Stores stores = open(new ArrayList<>())) {
            stores.users().add(User.withPassword(Address.of("alice@localhost"), "pw", new Random(1)));
            Path db = dir.resolve("petrel.db");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(db));
            Path wal = dir.resolve("petrel.db-wal");
            assertTrue(Files.exists(wal), "WAL journal");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(wal));
        }
    }

    @Test
    void theEmbeddedDatabaseIsInWalModeWithTheSchemaOfItsMigrations() throws Exception {
        open(new ArrayList<>()).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("petrel.db"));
             ResultSet mode = c.createStatement().executeQuery("PRAGMA journal_mode");
             ResultSet version = c.createStatement().executeQuery(
                     "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank DESC")) {
            assertTrue(mode.next());
            assertEquals("wal", mode.getString(1));
            assertTrue(version.next());
            assertEquals(newestMigration(), version.getString(1));
        }
    }

    // the highest V<n>__ of the SQLite migrations on the class path
    private static String newestMigration() throws Exception {
        try (var files = Files.list(Path.of(StoresTest.class.getResource("/db/migration/sqlite").toURI()))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        }
    }

    @Test
    void anUrlThatIsNeitherEmbeddedNorPostgresqlIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stores.open("mysql://db/petrel", dir, List.of(), line -> {}));
        assertTrue(e.getMessage().contains("store.url"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("petrel.db")));
    }

    @Test
    void anUnreachablePostgresqlIsAStoreErrorThatKeepsThePasswordToItself() {
        StoreException e = assertThrows(StoreException.class, () -> Stores.open(
                "postgresql://127.0.0.1:9/petrel?user=petrel&password=s3cret&connectTimeout=2", dir, List.of(),
                line -> {}));
        assertTrue(e.getMessage().startsWith("PostgreSQL store: "), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
}
