package dev.petrel.store;

/** The database engines a store can live in, each with its own folder of migrations. */
enum Engine {
    /** One file in the data folder; the embedded default. */
    SQLITE("sqlite", "SQLite"),
    /** A server that several Petrel nodes share. */
    POSTGRESQL("postgresql", "PostgreSQL");

    private final String folder;
    private final String title;

    Engine(String folder, String title) {
        this.folder = folder;
        this.title = title;
    }

    /** Where Flyway finds this engine's migrations. */
    String migrations() {
        return "classpath:db/migration/" + folder;
    }

    String title() {
        return title;
    }
}
