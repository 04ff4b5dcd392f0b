package dev.petrel.store;

/** The store's database could not do what was asked (unreachable, locked too long, a broken schema). */
public final class StoreException extends RuntimeException {

    /** What the stores hold forbids the operation (a copy into a store that is not new, say). */
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
