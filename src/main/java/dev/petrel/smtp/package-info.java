/**
 * The SMTP protocol alone: command parsing, ESMTP parameters, the server session state machine, DATA
 * decoding with dot-stuffing and the smuggling defence, BDAT, and the SASL exchanges of AUTH. No sockets and
 * no storage: the session takes lines and bytes and returns replies, and reaches policy and the queue only
 * through {@link dev.petrel.smtp.SessionHooks}. Uses only {@code mail}; the listener in {@code server} drives it.
 */
package dev.petrel.smtp;
