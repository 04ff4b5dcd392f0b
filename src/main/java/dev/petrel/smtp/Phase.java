package dev.petrel.smtp;

/**
 * What the server is waiting for, each with its own timeout (RFC 5321 4.5.3.2: the server waits at least
 * five minutes for a command, three per data block).
 */
public enum Phase {
    /** Before EHLO or HELO. */
    HELO,
    /** After EHLO, waiting for MAIL (or AUTH, STARTTLS). */
    MAIL,
    /** After MAIL, waiting for RCPT, DATA or BDAT. */
    RCPT,
    /** Inside DATA or a BDAT chunk: waiting for the next block of content. */
    DATA_BLOCK,
    /** Inside an AUTH exchange, waiting for the client's response. */
    AUTH
}
