package dev.petrel.smtp.client;

/** When the client uses STARTTLS (RFC 3207) with a server. */
public enum TlsPolicy {
    /** Never send STARTTLS, even when offered: the retry after a failed handshake, or a site configured so. */
    NONE,
    /** STARTTLS whenever offered; plaintext when it is not, or when the server refuses it (RFC 7435). */
    OPPORTUNISTIC,
    /** STARTTLS or nothing: a server that does not offer it, refuses it or fails the handshake gets no mail. */
    REQUIRE
}
