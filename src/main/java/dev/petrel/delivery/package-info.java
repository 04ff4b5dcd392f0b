/**
 * Delivery: the agent that takes due messages from the scheduler, routes their recipients by domain, sends each
 * group to its destination site under that site's {@link dev.petrel.delivery.SiteThrottle}, and records every
 * outcome in the queue (finished, bounced with a DSN, or deferred); {@code delivery.remote} carries transactions
 * over SMTP, {@code delivery.local} into Maildirs or over LMTP. May use {@code mail}, {@code smtp}, {@code net},
 * {@code dns}, {@code queue}, {@code bounce}, {@code account} and {@code event}. In DESIGN.md's flow it follows
 * the queue and its scheduler, and ends each attempt with an outcome per recipient.
 */
package dev.petrel.delivery;
