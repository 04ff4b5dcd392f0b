package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One table of the configuration file with its path ({@code limits}, {@code listeners[0]}): its typed reads
 * fall back to a default when the key is absent, and throw a {@link SettingException} naming the key and what
 * was expected when it is wrong.
 */
final class Table {

    private final String path;
    private final JsonNode node;

    private Table(String path, JsonNode node) {
        this.path = path;
        this.node = node;
    }

    static Table root(JsonNode node, Set<String> keys) {
        Table root = new Table("", node);
        root.allowOnly(keys);
        return root;
    }

    /** The sub-table {@code name}, empty when absent, with only {@code keys} allowed in it (null: any). */
    Table table(String name, Set<String> keys) {
        JsonNode child = node.path(name);
        if (!child.isMissingNode() && !child.isObject()) {
            throw problem(name, "expected a table, got " + child);
        }
        Table table = new Table(key(name), child);
        table.allowOnly(keys);
        return table;
    }

    /** The array of tables {@code name} ({@code [[name]]}); null when absent. */
    List<Table> tables(String name, Set<String> keys) {
        JsonNode child = node.path(name);
        if (child.isMissingNode()) {
            return null;
        }
        if (!child.isArray()) {
            throw problem(name, "expected an array of tables ([[" + name + "]])");
        }
        List<Table> out = new ArrayList<>();
        for (JsonNode element : child) {
            Table table = new Table(key(name) + "[" + out.size() + "]", element);
            table.allowOnly(keys);
            out.add(table);
        }
        return out;
    }

    boolean has(String key) {
        return !node.path(key).isMissingNode();
    }

    /** The keys present, in the file's order. */
    Iterator<Map.Entry<String, JsonNode>> entries() {
        return node.properties().iterator();
    }

    SettingException problem(String key, String what) {
        return new SettingException(path, key, what);
    }

    String text(String key, String fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw problem(key, "expected a string, got " + v);
        }
        return v.asText();
    }

    /** A file path, taken from {@code base} when relative; null when absent and {@code fallback} is null. */
    Path path(String key, String fallback, Path base) {
        String text = text(key, fallback);
        if (text == null) {
            return null;
        }
        try {
            return base.resolve(text);
        } catch (InvalidPathException e) {
            // a NUL character, say: no file system names a file so
            throw problem(key, "not a file path: " + e.getReason());
        }
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw problem(key, "expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw problem(key, "expected a whole number from " + min + " to " + max + ", got " + v);
        }
        return v.asInt();
    }

    /** A fraction of one, from 0 up to but not including 1 (a share of a time, such as jitter). */
    double fraction(String key, double fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() >= 1) {
            throw problem(key, "expected a number from 0 to below 1, got " + v);
        }
        return v.asDouble();
    }

    long size(String key, String fallback) {
        long size = zeroOrSize(key, fallback);
        if (size < 1) {
            throw problem(key, "expected a positive size, got " + node.path(key));
        }
        return size;
    }

    /** A size that may be 0 ("0" or 0): a limit that can be switched off. */
    long zeroOrSize(String key, String fallback) {
        JsonNode v = node.path(key);
        if (v.isTextual() && v.asText().equals("0")) {
            return 0;
        }
        long size = v.isIntegralNumber() ? v.asLong() : parsed(key, text(key, fallback), Units::size);
        if (size < 0) {
            throw problem(key, "expected a size, got " + v);
        }
        return size;
    }

    Duration duration(String key, String fallback) {
        Duration d = parsed(key, text(key, fallback), Units::duration);
        if (d.isZero()) {
            throw problem(key, "expected a duration longer than zero, got " + node.path(key));
        }
        return d;
    }

    /** A duration, or "0" for none. */
    Duration zeroOrDuration(String key, String fallback) {
        String text = text(key, fallback);
        return text.strip().equals("0") ? Duration.ZERO : parsed(key, text, Units::duration);
    }

    List<String> strings(String key, List<String> fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isArray()) {
            throw problem(key, "expected an array of strings, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw problem(key, "expected an array of strings, got " + e + " in it");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** Each string of the array, checked by {@code parser} (which throws IllegalArgumentException). */
    <T> List<String> checkedStrings(String key, List<String> fallback, Function<String, T> parser) {
        List<String> values = strings(key, fallback);
        values.forEach(value -> parsed(key, value, parser));
        return values;
    }

    /** {@code parser}'s value of the text, its complaint turned into this key's. */
    <T> T parsed(String key, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (SettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw problem(key, e.getMessage());
        }
    }

    private String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private void allowOnly(Set<String> keys) {
        if (keys == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw problem(key, "unknown setting");
            }
        }
    }
}
