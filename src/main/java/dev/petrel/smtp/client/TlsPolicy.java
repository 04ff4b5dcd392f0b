package dev.petrel.smtp.client;

/** When the client uses STARTTLS (RFC 3207) with a server. */
public enum TlsPolicy {
    /** Never send STARTTLS, even when offered: the retry after a failed handshake, or a site configured so. */
    NONE,
    /** STARTTLS whenever offered; plaintext when it is not, or when the server refuses it (RFC 7435). */
    OPPORTUNISTIC,
    /** STARTTLS or nothing: a server that does not offer it, refuses it or fails the handshake gets no mail. */
    REQUIRE;

    /**
     * The server's certificate is authenticated before anything is sent: PKIX with the MX host name (RFC 6125),
     * as MTA-STS (RFC 8461) and a configured requirement ask. What RFC 8689 4.2.1 needs for REQUIRETLS; DANE
     * (RFC 7672) authenticates too, and joins here when it has a policy of its own.
     */
    public boolean authenticates() {
        return this == REQUIRE;
    }
}
