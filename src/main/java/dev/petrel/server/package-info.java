/**
 * The network side of receiving: listeners for the mx, submission and submissions roles, TLS (STARTTLS and
 * implicit), connection limits, one virtual thread per connection. Uses {@code mail}, {@code smtp},
 * {@code policy}, {@code intake}, {@code event}. It owns the
 * sockets and drives the protocol-only session of {@code smtp}; at the end of a transaction it calls intake.
 */
package dev.petrel.server;
