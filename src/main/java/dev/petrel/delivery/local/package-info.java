/**
 * Delivery to the mailboxes of the local domains: Maildirs that Dovecot and other IMAP/POP3 servers read as they
 * are, or an LMTP server per domain over a {@link dev.petrel.net.ClientChannel}. Addresses are looked up with
 * {@code account.LocalRecipients} at delivery time; aliases forward a copy through the queue. Part of
 * {@code delivery}: may use what it may, and {@code delivery} itself, not {@code delivery.remote}. In DESIGN.md's
 * flow it is the "local" branch of delivery, called through {@code LocalTransport} in the same attempts.
 */
package dev.petrel.delivery.local;
