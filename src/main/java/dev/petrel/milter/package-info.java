/**
 * The milter protocol (version 6, as Sendmail's libmilter and Postfix's smtpd_milters speak it) alone: packets and
 * their framing, the filter's replies as values, the negotiation of actions and protocol steps, and a session that
 * says which packets to send at each SMTP stage and whether the filter answers them. No sockets: the SMTP server
 * carries the packets. May use only {@code mail}; in DESIGN.md's flow it sits beside the SMTP session, which hands
 * each stage to the filter before policy and intake see the result.
 */
package dev.petrel.milter;
