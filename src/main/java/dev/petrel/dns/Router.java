package dev.petrel.dns;

import dev.petrel.mail.Domain;

/** Finds where a destination domain's mail goes. */
public interface Router {

    Routing route(Domain destination);
}
