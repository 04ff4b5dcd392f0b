package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's kept statements: a read by key prepares its statement once per connection, sees at once what another
 * connection or process committed since (a kept statement holds no snapshot), forgets a statement whose use failed,
 * and keeps at most {@link StatementCache#PER_CONNECTION} per connection.
 */
class StatementCacheTest {

    private static final String READ = "SELECT v FROM kv WHERE k = ?";

    @TempDir
    Path dir;

    private Database db;
    private Database other;

    @BeforeEach
    void open() throws Exception {
        db = Stores.connect(Stores.EMBEDDED, dir);
        other = Stores.connect(Stores.EMBEDDED, dir);
        db.update("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
    }

    @AfterEach
    void close() {
        db.close();
        other.close();
    }

    private Optional<String> read(String key) {
        return db.queryOne(READ, row -> row.getString(1), key);
    }

    @Test
    void aReadByKeyPreparesItsStatementOncePerConnection() {
        db.update("INSERT INTO kv (k, v) VALUES (?, ?)", "a", "1");
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.of("1"), read("a"));
            assertEquals(Optional.empty(), read("b"));
        }
        int kept = db.connected(c -> db.statements().kept(c));
        assertTrue(kept >= 1 && kept <= 3, "the create, insert and read statements at most, not one per use: " + kept);
    }

    @Test
    void aKeptStatementSeesWhatAnotherProcessCommittedSince() {
        other.update("INSERT INTO kv (k, v) VALUES (?, ?)", "key", "live");
        assertEquals(Optional.of("live"), read("key"));
        other.update("DELETE FROM kv WHERE k = ?", "key");
        assertEquals(Optional.empty(), read("key"), "a revoked key fails at once");
        other.update("INSERT INTO kv (k, v) VALUES (?, ?)", "key", "again");
        assertEquals(Optional.of("again"), read("key"));
    }

    @Test
    void aStatementWhoseUseFailedIsNotKept() {
        db.update("INSERT INTO kv (k, v) VALUES (?, ?)", "a", "1");
        assertThrows(StoreException.class, () -> db.update("INSERT INTO kv (k, v) VALUES (?, ?)", "a", "2"));
        db.update("INSERT INTO kv (k, v) VALUES (?, ?)", "b", "2");
        assertEquals(Optional.of("2"), read("b"));
    }

    @Test
    void eachConnectionKeepsAtMostItsShare() {
        List<String> reads = IntStream.range(0, StatementCache.PER_CONNECTION + 20)
                .mapToObj(i -> "SELECT v FROM kv WHERE k = ? AND " + i + " = " + i).toList();
        for (String sql : reads) {
            assertEquals(List.of(), db.query(sql, row -> row.getString(1), "a"));
        }
        db.connected(c -> {
            assertTrue(db.statements().kept(c) <= StatementCache.PER_CONNECTION);
            return null;
        });
        db.update("INSERT INTO kv (k, v) VALUES (?, ?)", "a", "1");
        for (String sql : reads) {
            assertEquals(List.of("1"), db.query(sql, row -> row.getString(1), "a"), "a closed statement is not used");
        }
    }
}
