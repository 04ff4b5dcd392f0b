/**
 * The remote SMTP client's socket side: it connects to a route's hosts in order (RFC 5321 5.1), runs the
 * I/O-free {@link dev.petrel.smtp.client.ClientSession} over a socket with one timeout per phase (RFC 5321
 * 4.5.3.2), upgrades to TLS with STARTTLS (opportunistic per RFC 7435, or required and verified), and reports one
 * {@link dev.petrel.delivery.remote.Attempted} outcome per recipient with the host that decided it. Part of
 * {@code delivery}: uses {@code mail}, {@code smtp} and {@code dns}; the scheduler and the ready queues per site
 * call it with a route and a transaction.
 */
package dev.petrel.delivery.remote;
