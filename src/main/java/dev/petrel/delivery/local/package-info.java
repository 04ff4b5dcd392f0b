/**
 * Delivery to the mailboxes of the local domains: Maildirs that Dovecot and other IMAP/POP3 servers read as they
 * are, or an LMTP server per domain. Addresses are looked up with {@code account.LocalRecipients} at delivery time;
 * aliases forward a copy through the queue. The {@code delivery} package calls it through
 * {@code LocalTransport}, in the same attempts as remote delivery; it may use mail, smtp (the LMTP dialogue),
 * queue, bounce, account and the remote timeouts.
 */
package dev.petrel.delivery.local;
