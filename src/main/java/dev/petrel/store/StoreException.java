package dev.petrel.store;

import dev.petrel.mail.TemporaryFailure;

/**
 * The store's database could not do what was asked (unreachable, locked too long, a broken schema): a temporary
 * failure to those who asked, who answer an SMTP client 451 and an HTTP client 503.
 */
public final class StoreException extends TemporaryFailure {

    /** What the stores hold forbids the operation (a copy into a store that is not new, say). */
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
