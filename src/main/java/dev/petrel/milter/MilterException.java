package dev.petrel.milter;

/** The filter broke the protocol: a packet that cannot be read, or a reply that does not fit the stage. */
public final class MilterException extends RuntimeException {

    public MilterException(String message) {
        super(message);
    }
}
