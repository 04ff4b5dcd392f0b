package dev.petrel.store;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.mail.Domain;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The domains in the {@code domains} table, read from the database each time. */
final class SqlDomains implements Domains {

    private final Database db;

    SqlDomains(Database db) {
        this.db = db;
    }

    @Override
    public Optional<DomainEntry> domain(Domain name) {
        return db.queryOne("SELECT name, is_local FROM domains WHERE name = ?", SqlDomains::entry, name.name());
    }

    @Override
    public List<DomainEntry> domains() {
        return db.query("SELECT name, is_local FROM domains ORDER BY id", SqlDomains::entry);
    }

    @Override
    public boolean add(DomainEntry domain) {
        return db.update("INSERT INTO domains (name, is_local) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                domain.name().name(), domain.local()) == 1;
    }

    @Override
    public boolean setLocal(Domain name, boolean local) {
        return db.update("UPDATE domains SET is_local = ? WHERE name = ?", local, name.name()) == 1;
    }

    @Override
    public boolean remove(Domain name) {
        return db.update("DELETE FROM domains WHERE name = ?", name.name()) == 1;
    }

    private static DomainEntry entry(ResultSet row) throws SQLException {
        return new DomainEntry(Domain.parse(row.getString("name")), row.getBoolean("is_local"));
    }
}
