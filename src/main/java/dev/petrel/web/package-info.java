/**
 * The HTTP listener (Jetty on virtual threads) and every route on it: the send API ({@link dev.petrel.web.Sending},
 * the one sending operation behind {@code /v1/messages} and the Postmark-compatible routes), the admin API, each
 * tenant's events and webhooks, {@code /metrics}, {@code /healthz} and the dashboard. Handlers parse a request into a
 * typed value, call the same policy and intake that SMTP uses, and render the answer; errors have one shape
 * ({@link dev.petrel.web.ApiError}), and {@link dev.petrel.web.AccessGate} decides who may call what. May use
 * {@code mail}, {@code policy}, {@code intake}, {@code queue}, {@code account}, {@code tenant}, {@code compliance},
 * {@code event} and {@code webhook}; it sits at the HTTP entrance of DESIGN.md's flow, beside the SMTP listeners.
 */
package dev.petrel.web;
