/**
 * Typed events of a message's life ({@link dev.petrel.event.MailEvent}: queued, delivered, deferred, bounced,
 * expired, rejected, removed), the {@link dev.petrel.event.EventBus} that hands them to its
 * sinks, and the one sink there is today, the key=value log. May use only {@code mail}. In DESIGN.md's flow it is
 * the event feed beside the queue: every stage publishes here instead of logging on its own, and nothing drives
 * delivery from it.
 */
package dev.petrel.event;
