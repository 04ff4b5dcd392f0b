package dev.petrel.store;

import dev.petrel.account.ScramSecret;
import dev.petrel.account.User;
import dev.petrel.account.Users;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users in the {@code users} table with their sending domains in {@code user_sending_domains}, read from the
 * database each time. A user is found by its address with the local part in lower case.
 */
final class SqlUsers implements Users {

    private static final String COLUMNS = "SELECT id, address, password_hash, scram_salt, scram_iterations,"
            + " scram_stored_key, scram_server_key, quota FROM users";

    /** A user row before its sending domains are read. */
    private record Row(long id, Address address, String passwordHash, ScramSecret scram, long quota) {

        User with(Set<Domain> sending) {
            return new User(address, passwordHash, scram, sending, quota);
        }
    }

    private final Database db;

    SqlUsers(Database db) {
        this.db = db;
    }

    static String key(Address address) {
        return address.localPart().toLowerCase(Locale.ROOT) + "@" + address.domain().name();
    }

    @Override
    public Optional<User> user(Address address) {
        return db.connected(c -> find(c, address));
    }

    private static Optional<User> find(Connection c, Address address) throws SQLException {
        List<Row> rows = Database.query(c, COLUMNS + " WHERE address_key = ?", SqlUsers::row, key(address));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row row = rows.getFirst();
        List<Domain> sending = Database.query(c, "SELECT domain FROM user_sending_domains WHERE user_id = ?",
                r -> Domain.parse(r.getString(1)), row.id());
        return Optional.of(row.with(new HashSet<>(sending)));
    }

    @Override
    public List<User> users() {
        return db.connected(c -> {
            Map<Long, Set<Domain>> sending = new LinkedHashMap<>();
            Database.query(c, "SELECT user_id, domain FROM user_sending_domains",
                    r -> Map.entry(r.getLong(1), Domain.parse(r.getString(2))))
                    .forEach(e -> sending.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
            return Database.query(c, COLUMNS + " ORDER BY id", SqlUsers::row).stream()
                    .map(r -> r.with(sending.getOrDefault(r.id(), Set.of()))).toList();
        });
    }

    @Override
    public User add(User user) {
        return db.transaction(c -> {
            insert(c, user, false);
            return find(c, user.address()).orElseThrow();
        });
    }

    /**
     * Adds the user or replaces the credentials and sending domains of the one there.
     *
     * @param withQuota also take the given user's quota (an import); else an existing user's quota stays
     */
    static void insert(Connection c, User user, boolean withQuota) throws SQLException {
        ScramSecret s = user.scram();
        String key = key(user.address());
        Database.update(c, "INSERT INTO users (address_key, address, password_hash, scram_salt, scram_iterations,"
                + " scram_stored_key, scram_server_key, quota) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (address_key) DO UPDATE SET address = excluded.address,"
                + " password_hash = excluded.password_hash, scram_salt = excluded.scram_salt,"
                + " scram_iterations = excluded.scram_iterations, scram_stored_key = excluded.scram_stored_key,"
                + " scram_server_key = excluded.scram_server_key"
                + (withQuota ? ", quota = excluded.quota" : ""),
                key, user.address().toString(), user.passwordHash(), s.salt(), s.iterations(), s.storedKey(),
                s.serverKey(), user.quota());
        Database.update(c, "DELETE FROM user_sending_domains WHERE user_id IN (SELECT id FROM users WHERE address_key = ?)",
                key);
        for (Domain d : user.sendingDomains()) {
            Database.update(c, "INSERT INTO user_sending_domains (user_id, domain) SELECT id, ? FROM users"
                    + " WHERE address_key = ?", d.name(), key);
        }
    }

    @Override
    public boolean remove(Address address) {
        return db.transaction(c -> {
            String key = key(address);
            Database.update(c, "DELETE FROM user_sending_domains WHERE user_id IN"
                    + " (SELECT id FROM users WHERE address_key = ?)", key);
            return Database.update(c, "DELETE FROM users WHERE address_key = ?", key) == 1;
        });
    }

    @Override
    public boolean setQuota(Address address, long octets) {
        if (octets < 0) {
            throw new IllegalArgumentException("negative quota: " + octets);
        }
        return db.update("UPDATE users SET quota = ? WHERE address_key = ?", octets, key(address)) == 1;
    }

    private static Row row(ResultSet r) throws SQLException {
        ScramSecret scram = new ScramSecret(r.getBytes("scram_salt"), r.getInt("scram_iterations"),
                r.getBytes("scram_stored_key"), r.getBytes("scram_server_key"));
        return new Row(r.getLong("id"), Address.of(r.getString("address")), r.getString("password_hash"), scram,
                r.getLong("quota"));
    }
}
