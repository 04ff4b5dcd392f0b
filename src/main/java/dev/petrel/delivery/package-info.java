/**
 * Delivery: the {@link dev.petrel.delivery.Dispatcher} takes due messages from the scheduler and starts an
 * {@link dev.petrel.delivery.Attempt} of each, which asks what the message's stream says ({@link
 * dev.petrel.delivery.Departures}: its {@link dev.petrel.delivery.Egress}, or paused, whose mail the
 * {@link dev.petrel.delivery.Parking} keeps off the schedule, or sandbox), routes the recipients by domain and hands
 * each transaction to the {@link dev.petrel.delivery.ReadyQueue} of its destination site and egress, a
 * {@link dev.petrel.delivery.Lane} (window, backoff and rate from the {@link dev.petrel.delivery.SiteThrottle};
 * transactions wait there as data, not as threads; with several nodes on one store, a site's connections are
 * counted by all of them through {@link dev.petrel.delivery.SiteSlots} and its message rate through
 * {@link dev.petrel.delivery.SiteRates}); the
 * {@link dev.petrel.delivery.OutcomeRecorder} writes each outcome with its event and queues DSNs through the one door.
 * {@code delivery.remote} carries transactions over SMTP, {@code delivery.local} into Maildirs or over LMTP. May use
 * {@code mail}, {@code smtp}, {@code net}, {@code dns}, {@code queue}, {@code bounce}, {@code account} and
 * {@code event}. In DESIGN.md's flow it follows the queue and its scheduler.
 */
package dev.petrel.delivery;
