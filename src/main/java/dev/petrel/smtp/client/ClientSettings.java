package dev.petrel.smtp.client;

/**
 * How the client introduces itself and what it may use.
 *
 * @param heloName the name sent with EHLO and HELO: Petrel's host name (RFC 5321 4.1.1.1)
 * @param tls when to use STARTTLS with this server
 * @param chunkSize the largest BDAT chunk in octets (RFC 3030); 0 sends the whole message as one chunk
 * @param lmtp speak LMTP (RFC 2033) instead: LHLO, and one reply per recipient after the data
 */
public record ClientSettings(String heloName, TlsPolicy tls, int chunkSize, boolean lmtp) {

    /** BDAT chunks are not split unless configured. */
    public static final int DEFAULT_CHUNK_SIZE = 0;

    public ClientSettings {
        if (heloName == null || heloName.isEmpty() || !heloName.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("the EHLO name is printable ASCII without spaces: " + heloName);
        }
        if (tls == null) {
            throw new IllegalArgumentException("a TLS policy is needed");
        }
        if (chunkSize < 0) {
            throw new IllegalArgumentException("negative chunk size: " + chunkSize);
        }
    }

    public ClientSettings(String heloName, TlsPolicy tls, int chunkSize) {
        this(heloName, tls, chunkSize, false);
    }

    public static ClientSettings of(String heloName, TlsPolicy tls) {
        return new ClientSettings(heloName, tls, DEFAULT_CHUNK_SIZE);
    }

    public ClientSettings withTls(TlsPolicy policy) {
        return new ClientSettings(heloName, policy, chunkSize, lmtp);
    }

    public ClientSettings withChunkSize(int size) {
        return new ClientSettings(heloName, tls, size, lmtp);
    }

    /** The same client speaking LMTP (RFC 2033), as to a mailbox server's delivery port. */
    public ClientSettings asLmtp() {
        return new ClientSettings(heloName, tls, chunkSize, true);
    }
}
