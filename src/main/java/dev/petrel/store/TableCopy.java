package dev.petrel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies every row of one store's tables into another's, SQLite to PostgreSQL or back: the way from a data folder
 * to several nodes on one PostgreSQL, and the way back. Both stores are at the same schema version (each was
 * opened, so migrated, by this Petrel); the tables are read from the source's catalog, so a table a later
 * migration adds is copied without a word here. The target is written in one transaction, parents before
 * children (foreign keys), its generated ids set past the copied ones; a value is converted to the target
 * column's type where the engines differ (SQLite keeps booleans as integers and times as text).
 */
public final class TableCopy {

    private static final String HISTORY = "flyway_schema_history";
    private static final int BATCH = 500;

    /** Rows copied per table, in the order they were copied. */
    public record Copied(Map<String, Long> rows) {}

    private TableCopy() {}

    /**
     * Copies {@code from}'s rows into {@code to}. Unless {@code replace}, the target must hold nothing but what a
     * new store starts with (the {@code default} tenant, local domains, marks in the event feed at its start); its
     * rows are deleted first.
     *
     * @param skip tables not to copy (kept by other means, such as a queue copied message by message)
     */
    public static Copied copy(Stores from, Stores to, boolean replace, Set<String> skip) {
        Database source = from.database();
        Database target = to.database();
        List<String> tables = source.connected(c -> tables(c, source.engine())).stream()
                .filter(t -> !skip.contains(t)).toList();
        List<String> theirs = target.connected(c -> tables(c, target.engine())).stream()
                .filter(t -> !skip.contains(t)).toList();
        if (!new TreeSet<>(tables).equals(new TreeSet<>(theirs))) {
            throw new StoreException("the two stores have different tables (" + tables + " and " + theirs
                    + "): open both with this Petrel first, so that both are at its schema version");
        }
        List<String> ordered = target.connected(c -> parentsFirst(c, target.engine(), tables));
        return target.transaction(c -> {
            if (!replace) {
                requireNew(c, ordered);
            }
            for (String table : ordered.reversed()) {
                update(c, "DELETE FROM " + table);
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            for (String table : ordered) {
                rows.put(table, source.connected(s -> copyTable(s, c, target.engine(), table)));
            }
            if (target.engine() == Engine.POSTGRESQL) {
                for (String table : ordered) {
                    advanceIdentities(c, table);
                }
            }
            return new Copied(rows);
        });
    }

    // the tables of the schema, without Flyway's own (each store keeps its history of migrations)
    private static List<String> tables(Connection c, Engine engine) throws SQLException {
        String sql = engine == Engine.SQLITE
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                + " AND table_type = 'BASE TABLE' ORDER BY table_name";
        List<String> names = Database.query(c, sql, row -> row.getString(1));
        names.removeIf(n -> n.equalsIgnoreCase(HISTORY));
        return names;
    }

    // the tables ordered so that a table comes after every table its foreign keys name
    private static List<String> parentsFirst(Connection c, Engine engine, List<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String table : tables) {
            parents.put(table, new TreeSet<>(parentsOf(c, engine, table)));
            parents.get(table).remove(table);
            parents.get(table).retainAll(tables);
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < tables.size()) {
            String next = parents.entrySet().stream()
                    .filter(e -> !ordered.contains(e.getKey()) && ordered.containsAll(e.getValue()))
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new StoreException("the tables' foreign keys go round in a circle: " + parents));
            ordered.add(next);
        }
        return ordered;
    }

    private static List<String> parentsOf(Connection c, Engine engine, String table) throws SQLException {
        if (engine == Engine.SQLITE) {
            return Database.query(c, "SELECT \"table\" FROM pragma_foreign_key_list(?)", row -> row.getString(1), table);
        }
        return Database.query(c, "SELECT DISTINCT p.relname FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid"
                + " JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE k.contype = 'f' AND t.relname = ? AND n.nspname = current_schema()",
                row -> row.getString(1), table);
    }

    private static void requireNew(Connection c, List<String> tables) throws SQLException {
        for (String table : tables) {
            // what a new store starts with: the default tenant, and the local domains of its configuration
            String seeded = switch (table) {
                case "tenants" -> " WHERE name <> 'default'";
                case "domains" -> " WHERE NOT (is_local AND tenant = 'default')";
                case "webhook_feed", "message_log_mark" -> " WHERE durable_cursor <> -1";
                default -> "";
            };
            long rows = Database.query(c, "SELECT COUNT(*) FROM " + table + seeded, row -> row.getLong(1)).getFirst();
            if (rows > 0) {
                throw new StoreException("the target store is not new: its table " + table + " has " + rows
                        + " row(s); copy into a new store, or replace its contents on purpose (--replace)");
            }
        }
    }

    private static long copyTable(Connection source, Connection target, Engine engine, String table)
            throws SQLException {
        Map<String, Integer> types = columnTypes(target, table);
        try (Statement read = source.createStatement(); ResultSet rows = read.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String name = meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                if (!types.containsKey(name)) {
                    throw new StoreException("the target's table " + table + " has no column " + name);
                }
                columns.add(name);
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ")"
                    + (engine == Engine.POSTGRESQL ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
            long count = 0;
            try (PreparedStatement write = target.prepareStatement(sql)) {
                while (rows.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        bind(write, i + 1, rows.getObject(i + 1), types.get(columns.get(i)));
                    }
                    write.addBatch();
                    if (++count % BATCH == 0) {
                        write.executeBatch();
                    }
                }
                write.executeBatch();
            }
            return count;
        }
    }

    private static Map<String, Integer> columnTypes(Connection c, String table) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet none = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = none.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.put(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT), meta.getColumnType(i));
            }
        }
        return types;
    }

    // a value as the target column takes it; SQLite reports its columns loosely, so what it holds decides there
    static void bind(PreparedStatement write, int index, Object value, int targetType) throws SQLException {
        if (value == null) {
            write.setNull(index, targetType);
            return;
        }
        switch (targetType) {
            case Types.BOOLEAN, Types.BIT -> write.setBoolean(index, truth(value));
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> write.setObject(index, time(value));
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> write.setLong(index, ((Number) number(value)).longValue());
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> write.setBytes(index, (byte[]) value);
            default -> write.setObject(index, sqliteValue(value));
        }
    }

    private static boolean truth(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n ? n.longValue() != 0
                : value.toString().equals("1") || value.toString().equalsIgnoreCase("true");
    }

    private static Object number(Object value) {
        return value instanceof Boolean b ? (b ? 1L : 0L) : value instanceof Number n ? n : Long.parseLong(value.toString());
    }

    private static OffsetDateTime time(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue()).atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString());
    }

    // into SQLite (whose columns take what they are given): as SQLite's own tables keep it
    private static Object sqliteValue(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        return value;
    }

    // PostgreSQL hands out generated ids from a sequence that the copied rows did not move
    private static void advanceIdentities(Connection c, String table) throws SQLException {
        List<String> columns = Database.query(c, "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                + " current_schema() AND table_name = ? AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')",
                row -> row.getString(1), table);
        for (String column : columns) {
            Database.query(c, "SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(" + column + "), 0) + 1, false)"
                    + " FROM " + table, row -> row.getLong(1), table, column);
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
