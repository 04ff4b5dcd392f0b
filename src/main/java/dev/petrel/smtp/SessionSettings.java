package dev.petrel.smtp;

/**
 * What one listener's sessions may do and how much they may take.
 *
 * @param hostname the name in the greeting and in EHLO
 * @param startTls STARTTLS is offered (RFC 3207)
 * @param authOffered AUTH is offered, once TLS is active (RFC 4954 4, RFC 8314)
 * @param authRequired MAIL needs AUTH first (the submission roles, RFC 6409 4.3)
 * @param maxMessageSize octets, advertised with SIZE (RFC 1870)
 * @param maxRecipients per transaction; more get 452 4.5.3 (RFC 5321 4.5.3.1.10)
 * @param maxErrors errors in one session before 421 and close
 */
public record SessionSettings(
        String hostname,
        boolean startTls,
        boolean authOffered,
        boolean authRequired,
        long maxMessageSize,
        int maxRecipients,
        int maxErrors) {}
