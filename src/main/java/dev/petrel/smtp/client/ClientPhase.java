package dev.petrel.smtp.client;

/**
 * What the client is waiting for, so that the driver picks the timeout. RFC 5321 4.5.3.2 names one timeout per
 * phase: initial 220 (5 minutes), MAIL (5), RCPT (5), DATA initiation (2), each data block (3), DATA
 * termination (10). EHLO, STARTTLS and QUIT have none of their own there; the driver times them like MAIL.
 */
public enum ClientPhase {
    /** Waiting for the 220 greeting. */
    GREETING,
    /** Waiting for the reply to EHLO or HELO. */
    EHLO,
    /** Waiting for the reply to STARTTLS. */
    STARTTLS,
    /** The driver runs the TLS handshake; no reply is awaited. */
    TLS_HANDSHAKE,
    /** Waiting for the reply to MAIL (or to the RSET before it). */
    MAIL,
    /** Waiting for the reply to a RCPT. */
    RCPT,
    /** Waiting for the 354 that answers DATA. */
    DATA_INIT,
    /** Writing message content, or waiting for the reply to a BDAT chunk that is not the last. */
    DATA_BLOCK,
    /** Waiting for the reply to the final dot, or to the last BDAT chunk. */
    FINAL_DOT,
    /** Between transactions: nothing is awaited; call {@link ClientSession#newTransaction} or {@link ClientSession#quit}. */
    READY,
    /** Waiting for the reply to QUIT. */
    QUIT,
    /** The session is over. */
    CLOSED
}
