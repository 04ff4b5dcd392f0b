package dev.petrel.store;

import dev.petrel.account.Alias;
import dev.petrel.account.Aliases;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The aliases in the {@code aliases} table and their targets in {@code alias_targets}, in the order they were
 * added, read from the database each time. Adding targets is a pair of inserts that skip what is there already,
 * so two commands adding to one alias at once both count.
 */
final class SqlAliases implements Aliases {

    private record Row(long id, String localPart, Domain domain) {}

    private final Database db;

    SqlAliases(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Alias> alias(String localPart, Domain domain) {
        return db.connected(c -> {
            List<Row> rows = Database.query(c, "SELECT id, local_part, domain FROM aliases WHERE alias_key = ?",
                    r -> new Row(r.getLong(1), r.getString(2), Domain.parse(r.getString(3))),
                    Alias.key(localPart, domain));
            if (rows.isEmpty()) {
                return Optional.<Alias>empty();
            }
            Row row = rows.getFirst();
            List<Address> targets = Database.query(c, "SELECT target FROM alias_targets WHERE alias_id = ? ORDER BY id",
                    r -> Address.of(r.getString(1)), row.id());
            return Optional.of(new Alias(row.localPart(), row.domain(), targets));
        });
    }

    @Override
    public List<Alias> aliases() {
        return db.connected(c -> {
            Map<Long, Row> rows = new LinkedHashMap<>();
            Database.query(c, "SELECT id, local_part, domain FROM aliases ORDER BY id",
                    r -> new Row(r.getLong(1), r.getString(2), Domain.parse(r.getString(3))))
                    .forEach(r -> rows.put(r.id(), r));
            Map<Long, List<Address>> targets = new LinkedHashMap<>();
            Database.query(c, "SELECT alias_id, target FROM alias_targets ORDER BY id",
                    r -> Map.entry(r.getLong(1), Address.of(r.getString(2))))
                    .forEach(e -> targets.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            List<Alias> out = new ArrayList<>();
            rows.values().forEach(r -> out.add(new Alias(r.localPart(), r.domain(), targets.get(r.id()))));
            return out;
        });
    }

    @Override
    public Alias add(Alias alias) {
        db.transaction(c -> insert(c, alias));
        return alias(alias.localPart(), alias.domain()).orElseThrow();
    }

    // the alias row keeps the spelling it was first added with; its targets keep their order
    static int insert(Connection c, Alias alias) throws SQLException {
        Database.update(c, "INSERT INTO aliases (alias_key, local_part, domain) VALUES (?, ?, ?)"
                + " ON CONFLICT (alias_key) DO NOTHING", alias.key(), alias.localPart(), alias.domain().name());
        int added = 0;
        for (Address target : alias.targets()) {
            added += Database.update(c, "INSERT INTO alias_targets (alias_id, target)"
                    + " SELECT id, ? FROM aliases WHERE alias_key = ? ON CONFLICT (alias_id, target) DO NOTHING",
                    target.toString(), alias.key());
        }
        return added;
    }

    @Override
    public boolean remove(String localPart, Domain domain) {
        return db.transaction(c -> {
            String key = Alias.key(localPart, domain);
            Database.update(c, "DELETE FROM alias_targets WHERE alias_id IN (SELECT id FROM aliases WHERE alias_key = ?)",
                    key);
            return Database.update(c, "DELETE FROM aliases WHERE alias_key = ?", key) == 1;
        });
    }
}
