package dev.petrel.smtp;

/**
 * A snapshot of what is known about the client when a hook is called.
 *
 * @param clientAddress the client's IP address as text
 * @param helo the EHLO or HELO argument, or null before it
 * @param esmtp EHLO was used (not HELO)
 * @param tlsProtocol the TLS version in force ("TLSv1.3"), or null without TLS
 * @param tlsCipher the cipher suite in force, or null
 * @param user the authenticated user, or null
 * @param utf8 the current transaction uses SMTPUTF8
 */
public record SessionInfo(String clientAddress, String helo, boolean esmtp, String tlsProtocol, String tlsCipher,
                          String user, boolean utf8) {

    public boolean tls() {
        return tlsProtocol != null;
    }

    /** The WITH protocol of the Received header: RFC 3848 and RFC 6531 3.7.3. */
    public String protocol() {
        String base = !esmtp ? "SMTP" : utf8 ? "UTF8SMTP" : "ESMTP";
        if (!esmtp) {
            return base;
        }
        return base + (tls() ? "S" : "") + (user != null ? "A" : "");
    }
}
