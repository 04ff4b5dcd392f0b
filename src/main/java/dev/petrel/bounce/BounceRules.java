package dev.petrel.bounce;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.petrel.mail.BounceClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a rules file: TOML with an array of tables {@code [[rule]]}, each with a {@code class} (one of {@link
 * BounceClass}'s labels), and a {@code status} and a {@code text} (a string or an array of strings; one of them at
 * least). The rules keep the file's order. A wrong rule is reported by its index and key, so that the caller can
 * say on which line of which file it is.
 */
public final class BounceRules {

    private static final Set<String> RULE_KEYS = Set.of("class", "status", "text");
    private static final Set<String> THROTTLE_KEYS = Set.of("status", "text", "action", "duration");

    private BounceRules() {}

    /** Something in a rules file is wrong: a TOML syntax error at a line, or a rule's key. */
    public static final class RulesException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final int line;
        private final String table;
        private final String key;
        private final String problem;

        RulesException(int line, String table, String key, String problem) {
            super(describe(line, table, key, problem));
            this.line = line;
            this.table = table;
            this.key = key;
            this.problem = problem;
        }

        /** The line of a syntax error, 0 when the error is a rule's. */
        public int line() {
            return line;
        }

        /** The rule's table path ({@code rule[2]}); "" for a top-level key, null for a syntax error. */
        public String table() {
            return table;
        }

        /** The key at fault. */
        public String key() {
            return key;
        }

        public String problem() {
            return problem;
        }

        private static String describe(int line, String table, String key, String problem) {
            if (line > 0 || table == null) {
                return "line " + line + ": " + problem;
            }
            if (table.isEmpty()) {
                return key + ": " + problem;
            }
            int index = Integer.parseInt(table.substring(table.indexOf('[') + 1, table.length() - 1));
            String name = table.substring(0, table.indexOf('['));
            return name + " " + (index + 1) + " ([[" + name + "]] " + key + "): " + problem;
        }
    }

    public static List<BounceRule> parse(String toml) {
        List<BounceRule> out = new ArrayList<>();
        for (JsonNode rule : tables(tree(toml), "rule")) {
            out.add(rule(rule, "rule[" + out.size() + "]"));
        }
        return out;
    }

    /** The {@code [[throttle]]} tables of a rules file, in its order (see {@link ThrottleRule}). */
    public static List<ThrottleRule> parseThrottles(String toml) {
        List<ThrottleRule> out = new ArrayList<>();
        for (JsonNode rule : tables(tree(toml), "throttle")) {
            out.add(throttle(rule, "throttle[" + out.size() + "]"));
        }
        return out;
    }

    // the array of tables [[name]] of a file that holds only [[rule]] and [[throttle]] tables
    private static List<JsonNode> tables(JsonNode root, String name) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("rule") && !key.equals("throttle")) {
                throw new RulesException(0, "", key, "unknown setting (a rules file holds [[rule]] and [[throttle]]"
                        + " tables)");
            }
        }
        JsonNode tables = root.path(name);
        if (tables.isMissingNode()) {
            return List.of();
        }
        if (!tables.isArray()) {
            throw new RulesException(0, "", name, "expected an array of tables ([[" + name + "]])");
        }
        List<JsonNode> out = new ArrayList<>();
        tables.forEach(out::add);
        return out;
    }

    private static ThrottleRule throttle(JsonNode rule, String table) {
        checkKeys(rule, table, THROTTLE_KEYS, "a throttle rule has status, text, action and duration");
        ThrottleRule.Action action = parsed(table, "action", rule.path("action").asText("suspend"),
                ThrottleRule.Action::parse);
        JsonNode duration = rule.path("duration");
        if (!duration.isTextual()) {
            throw new RulesException(0, table, "duration", "required: how long the site is suspended (\"15m\")");
        }
        Duration d = parsed(table, "duration", duration.asText(), ThrottleRule::duration);
        return new ThrottleRule(matcher(rule, table, BounceClass.THROTTLE), action, d);
    }

    private static JsonNode tree(String toml) {
        try {
            return new TomlMapper().readTree(toml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 0 : Math.max(0, at.getLineNr());
            String message = e.getOriginalMessage().lines().findFirst().orElse("invalid TOML");
            throw new RulesException(Math.max(1, line), null, null, message);
        }
    }

    private static BounceRule rule(JsonNode rule, String table) {
        checkKeys(rule, table, RULE_KEYS, "a rule has class, status and text");
        JsonNode label = rule.path("class");
        if (!label.isTextual()) {
            throw new RulesException(0, table, "class", "required: one of " + BounceClass.labels());
        }
        return matcher(rule, table, parsed(table, "class", label.asText(), BounceClass::parse));
    }

    private static void checkKeys(JsonNode rule, String table, Set<String> keys, String what) {
        if (!rule.isObject()) {
            throw new RulesException(0, table, table.substring(0, table.indexOf('[')), "expected a table");
        }
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new RulesException(0, table, key, "unknown setting (" + what + ")");
            }
        }
    }

    // the status and text a rule matches, with the class it gives
    private static BounceRule matcher(JsonNode rule, String table, BounceClass bounceClass) {
        List<StatusPattern> statuses = strings(rule, table, "status").stream()
                .map(s -> parsed(table, "status", s, StatusPattern::parse)).toList();
        List<String> texts = strings(rule, table, "text");
        if (statuses.isEmpty() && texts.isEmpty()) {
            throw new RulesException(0, table, rule.has("class") ? "class" : "text",
                    "a rule needs a status, a text or both");
        }
        try {
            return new BounceRule(bounceClass, statuses, texts);
        } catch (PatternSyntaxException e) {
            throw new RulesException(0, table, "text", "not a regular expression: " + e.getDescription() + " in \""
                    + e.getPattern() + "\"");
        }
    }

    // a string, or an array of strings; none when absent
    private static List<String> strings(JsonNode rule, String table, String key) {
        JsonNode v = rule.path(key);
        if (v.isMissingNode()) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw new RulesException(0, table, key, "expected strings, got " + e);
                }
                out.add(e.asText());
            }
            return out;
        }
        throw new RulesException(0, table, key, "expected a string or an array of strings, got " + v);
    }

    private static <T> T parsed(String table, String key, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new RulesException(0, table, key, e.getMessage());
        }
    }
}
