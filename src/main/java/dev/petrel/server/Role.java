package dev.petrel.server;

/** What a listener is for (DESIGN.md "Listener roles"). */
public enum Role {
    /** Mail from other servers for local domains; STARTTLS offered; no relay for unauthenticated clients. */
    MX,
    /** Mail from users: STARTTLS, then AUTH, then MAIL (RFC 6409). */
    SUBMISSION,
    /** As submission, with TLS from the first byte (RFC 8314). */
    SUBMISSIONS;

    boolean implicitTls() {
        return this == SUBMISSIONS;
    }

    boolean submission() {
        return this != MX;
    }
}
