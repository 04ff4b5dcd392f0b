package dev.petrel.mail;

/**
 * A part an answer needs failed for now (a store that cannot be reached, say): asking again later may succeed.
 * The protocols say so in their own words: SMTP with 451 4.3.0, HTTP with 503 and Retry-After.
 */
public class TemporaryFailure extends RuntimeException {

    public TemporaryFailure(String message) {
        super(message);
    }

    public TemporaryFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
