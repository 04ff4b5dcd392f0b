/**
 * The SMTP protocol alone: command parsing, ESMTP parameters, the server session state machine, DATA decoding with
 * dot-stuffing and the smuggling defence, BDAT, and the SASL exchanges of AUTH; the client's state machine is in
 * {@code smtp.client}. No sockets and no storage: the session takes lines and bytes, returns replies, and reaches
 * policy and the queue only through {@link dev.petrel.smtp.SessionHooks}. May use only {@code mail}; in DESIGN.md's
 * flow it is the "SMTP session" that the listeners of {@code server} drive.
 */
package dev.petrel.smtp;
