package dev.petrel.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each setting of a TOML text is, by line: Jackson's TOML reader gives a tree without positions, so the
 * loader finds the lines itself to say where a wrong setting is. Knows tables, arrays of tables and
 * {@code key = value} lines (dotted and quoted keys too), and skips multi-line strings; a key inside an inline
 * table is found at the line of its table.
 */
final class TomlLines {

    private static final String KEY = "(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')";
    private static final String DOTTED = KEY + "(?:\\s*\\.\\s*" + KEY + ")*";
    private static final Pattern ARRAY_TABLE = Pattern.compile("^\\s*\\[\\[\\s*(" + DOTTED + ")\\s*]]");
    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*(" + DOTTED + ")\\s*]");
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(" + DOTTED + ")\\s*=");
    private static final Pattern PART = Pattern.compile(KEY);

    private final Map<String, Integer> lines = new HashMap<>();

    private TomlLines() {}

    static TomlLines of(String text) {
        TomlLines found = new TomlLines();
        Map<String, Integer> arrayCounts = new HashMap<>();
        String table = "";
        boolean inString = false;
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i < all.length; i++) {
            String line = all[i];
            boolean wasInString = inString;
            inString ^= multiLineQuotes(line) % 2 == 1;
            if (wasInString) {
                continue;
            }
            Matcher m;
            if ((m = ARRAY_TABLE.matcher(line)).find()) {
                String name = path(m.group(1));
                int index = arrayCounts.merge(name, 1, Integer::sum) - 1;
                table = name + "[" + index + "]";
                found.lines.putIfAbsent(table, i + 1);
            } else if ((m = TABLE.matcher(line)).find()) {
                table = path(m.group(1));
                found.lines.putIfAbsent(table, i + 1);
            } else if ((m = ASSIGNMENT.matcher(line)).find()) {
                String key = path(m.group(1));
                found.lines.putIfAbsent(table.isEmpty() ? key : table + "." + key, i + 1);
            }
        }
        return found;
    }

    /** The line of a setting, or of the nearest table that holds it; 0 when the text does not name it. */
    int line(String key) {
        String k = key;
        while (true) {
            Integer line = lines.get(k);
            if (line != null) {
                return line;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.endsWith("]") ? k.lastIndexOf('[') : -1);
            if (cut <= 0) {
                return 0;
            }
            k = k.substring(0, cut);
        }
    }

    private static String path(String dotted) {
        StringBuilder out = new StringBuilder();
        Matcher m = PART.matcher(dotted);
        while (m.find()) {
            String part = m.group();
            if (part.startsWith("\"") || part.startsWith("'")) {
                part = part.substring(1, part.length() - 1);
            }
            out.append(out.isEmpty() ? "" : ".").append(part);
        }
        return out.toString();
    }

    private static int multiLineQuotes(String line) {
        int count = 0;
        for (String quotes : new String[] {"\"\"\"", "'''"}) {
            for (int at = line.indexOf(quotes); at >= 0; at = line.indexOf(quotes, at + 3)) {
                count++;
            }
        }
        return count;
    }
}
