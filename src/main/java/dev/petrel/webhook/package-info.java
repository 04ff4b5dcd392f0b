/**
 * Webhooks: endpoints (a URL, an event filter and a {@code whsec_} secret per tenant), Standard Webhooks signing,
 * the checks a target URL must pass, and the dispatcher that reads the event feed by its own cursor, writes each
 * matching event as a pending delivery before its cursor moves, and POSTs it with Jetty's HTTP client until a 2xx
 * acknowledges it, with backoff for three days. May use {@code mail}, {@code event} and {@code tenant}; the SQL
 * store of endpoints and deliveries lives in {@code store}, and {@code cli} wires them together.
 */
package dev.petrel.webhook;
