/**
 * Delivery to other servers: connections to a route's hosts in order (RFC 5321 5.1), pooled per site, running
 * the I/O-free {@link dev.petrel.smtp.client.ClientSession} over a {@link dev.petrel.net.ClientChannel} with
 * STARTTLS (opportunistic per RFC 7435, or required and verified, MTA-STS per RFC 8461, DANE per RFC 7672 with
 * each connection's {@link dev.petrel.delivery.remote.TlsOutcome}), one
 * {@link dev.petrel.delivery.remote.Attempted} outcome per recipient with the host that decided it. Part of
 * {@code delivery}: may use what it may, and {@code delivery} itself, not {@code delivery.local}. In DESIGN.md's
 * flow it is the "remote" branch of delivery.
 */
package dev.petrel.delivery.remote;
