/**
 * The network side of receiving: listeners for the mx, submission and submissions roles, TLS (STARTTLS and
 * implicit) with a certificate that is replaced in place (SIGHUP, or one obtained and renewed from an ACME CA with
 * acme4j), connection limits, the PROXY protocol behind a load balancer, one virtual thread per connection, and
 * the sockets to milter filters. May use {@code mail}, {@code smtp}, {@code net}, {@code milter}, {@code policy},
 * {@code intake} and {@code event}. In DESIGN.md's flow it is the listener at the top: it owns the sockets, drives
 * the protocol-only session of {@code smtp}, asks policy and the milters, and hands each accepted message (as the
 * milters changed it) to intake.
 */
package dev.petrel.server;
