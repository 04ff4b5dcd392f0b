package dev.petrel.web;

import java.util.function.Consumer;

/** Operators' actions through the HTTP surface, one log line each: who did what, from where. */
final class Audit {

    private final Consumer<String> log;

    Audit(Consumer<String> log) {
        this.log = log;
    }

    void record(Exchange x, String action) {
        // never the token itself: its name
        log.accept("admin action=\"" + action.replace("\"", "'") + "\" by=" + x.principal() + " client="
                + x.client().getHostAddress());
    }
}
