/**
 * Delivery: the agent that takes due messages from the scheduler, routes their recipients by domain, sends
 * each group to its destination site under that site's throttle, and records every outcome in the queue
 * (finished, bounced with a DSN, or deferred to the next attempt); {@code delivery.remote} carries a transaction
 * over SMTP with TLS. Uses {@code mail}, {@code smtp}, {@code dns}, {@code queue}, {@code bounce},
 * {@code account} and {@code event}. It reads the queue that intake filled; local mailboxes come later.
 */
package dev.petrel.delivery;
