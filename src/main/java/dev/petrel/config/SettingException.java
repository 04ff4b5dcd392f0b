package dev.petrel.config;

/**
 * One setting is wrong: its table and key name it by its path in the file ({@code limits.recipients},
 * {@code listeners[1].role}), so the loader can say on which line it is.
 */
public final class SettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String table;
    private final String name;
    private final String problem;

    /**
     * @param table the table's path, "" at the top ({@code limits}, {@code listeners[0]})
     * @param name the key in it (may hold dots, as a quoted key does: {@code "example.org"})
     */
    public SettingException(String table, String name, String problem) {
        super(display(table, name) + ": " + problem);
        this.table = table;
        this.name = name;
        this.problem = problem;
    }

    /** The setting's whole path, as {@link TomlLines} knows it. */
    public String key() {
        return table.isEmpty() ? name : table + "." + name;
    }

    public String problem() {
        return problem;
    }

    /** The setting as an operator finds it in the file: {@code [limits] recipients}, {@code hostname}. */
    public String display() {
        return display(table, name);
    }

    private static String display(String table, String name) {
        if (table.isEmpty()) {
            return name;
        }
        return table.endsWith("]") ? "[[" + table.replaceAll("\\[\\d+]$", "") + "]] " + name : "[" + table + "] " + name;
    }
}
