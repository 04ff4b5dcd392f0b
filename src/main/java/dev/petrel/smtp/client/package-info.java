/**
 * The client side of the SMTP dialogue (RFC 5321, with PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, CHUNKING,
 * STARTTLS and ENHANCEDSTATUSCODES), as a state machine without I/O. Remote delivery in {@code delivery} owns
 * the socket: it hands {@link dev.petrel.smtp.client.ClientSession} each reply line, performs the
 * {@link dev.petrel.smtp.client.Step} it gets back, and records one
 * {@link dev.petrel.mail.RecipientOutcome} per recipient. Part of {@code smtp}: uses only {@code mail}
 * and {@code smtp}.
 */
package dev.petrel.smtp.client;
