package dev.petrel.cli;

import java.io.IOException;

/**
 * A part of the running server that re-reads what it caches on SIGHUP, without dropping connections: the TLS
 * certificate, the stores' cached data. {@link Petrel} keeps the list; a part that fails keeps what it had.
 */
@FunctionalInterface
interface Reloadable {

    void reload() throws IOException;

    /** A named entry of the list, for the log line. */
    record Named(String name, Reloadable part) {}
}
