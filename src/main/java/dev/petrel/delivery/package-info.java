/**
 * Routing (local or remote site), ready queues per destination, throttles, the remote SMTP client and its TLS
 * policy; {@code delivery.local} for Maildir and LMTP. Uses {@code mail}, {@code smtp}, {@code dns},
 * {@code queue}, {@code bounce}, {@code account} and {@code event}. It reads the queue that intake filled.
 * Empty until the relay issue.
 */
package dev.petrel.delivery;
