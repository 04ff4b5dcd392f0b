package dev.petrel.store;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.mail.Domain;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The DKIM keys in the {@code dkim_keys} table, private keys included, read from the database each time. */
final class SqlDkimKeys implements DkimKeyStore {

    private static final String COLUMNS = "SELECT domain, selector, key_type, private_key, active FROM dkim_keys";

    private final Database db;

    SqlDkimKeys(Database db) {
        this.db = db;
    }

    @Override
    public List<DkimKeyEntry> keys(Domain domain) {
        return db.query(COLUMNS + " WHERE domain = ? ORDER BY id", SqlDkimKeys::entry, domain.name());
    }

    @Override
    public List<DkimKeyEntry> keys() {
        return db.query(COLUMNS + " ORDER BY domain, id", SqlDkimKeys::entry);
    }

    @Override
    public void add(DkimKeyEntry key) {
        db.transaction(c -> insert(c, key));
    }

    static int insert(Connection c, DkimKeyEntry key) throws SQLException {
        Database.update(c, "DELETE FROM dkim_keys WHERE domain = ? AND selector = ?",
                key.domain().name(), key.selector());
        if (key.active()) {
            // one active key per domain and type: the new one takes over from the old
            Database.update(c, "UPDATE dkim_keys SET active = ? WHERE domain = ? AND key_type = ?",
                    false, key.domain().name(), key.keyType());
        }
        return Database.update(c, "INSERT INTO dkim_keys (domain, selector, key_type, private_key, active)"
                + " VALUES (?, ?, ?, ?, ?)", key.domain().name(), key.selector(), key.keyType(), key.pkcs8(),
                key.active());
    }

    private static DkimKeyEntry entry(ResultSet row) throws SQLException {
        return new DkimKeyEntry(Domain.parse(row.getString("domain")), row.getString("selector"),
                row.getString("key_type"), row.getBytes("private_key"), row.getBoolean("active"));
    }
}
