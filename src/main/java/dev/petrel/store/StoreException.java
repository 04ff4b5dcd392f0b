package dev.petrel.store;

/** The store's database could not do what was asked (unreachable, locked too long, a broken schema). */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
