/**
 * The client side of the SMTP and LMTP dialogues (RFC 5321 with PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN,
 * CHUNKING, STARTTLS and ENHANCEDSTATUSCODES; RFC 2033), as a state machine without I/O, and the
 * {@link dev.petrel.smtp.client.Timeouts} of each phase (RFC 5321 4.5.3.2). Part of {@code smtp}: may use only
 * {@code mail} and {@code smtp}. In DESIGN.md's flow it is the protocol of delivery: {@code delivery.remote} and
 * {@code delivery.local} own the sockets, hand {@link dev.petrel.smtp.client.ClientSession} each reply line, and
 * perform the {@link dev.petrel.smtp.client.Step} it returns until it gives one outcome per recipient.
 */
package dev.petrel.smtp.client;
