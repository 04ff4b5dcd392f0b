/**
 * Typed events of a message's life (queued, delivered, deferred, bounced, expired, rejected) and the sinks
 * that read them: the key=value delivery log now, metrics and webhooks later. Uses only {@code mail}. Every
 * stage of the flow in DESIGN.md publishes here instead of logging on its own.
 */
package dev.petrel.event;
