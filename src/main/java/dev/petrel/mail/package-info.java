/**
 * The shared vocabulary of Petrel: addresses, domains, paths, envelopes, recipients, queue ids, replies with their
 * enhanced status codes, the {@link dev.petrel.mail.BounceClass} a failure is given (which events, metrics and the
suppression lists share), the decision a policy step returns, a delivery's {@link dev.petrel.mail.Transaction} and
 * {@link dev.petrel.mail.RecipientOutcome}, {@link dev.petrel.mail.HeaderSection}, the one reader of a
 * message's header fields, and {@link dev.petrel.mail.LineLimit}, which makes a message's lines fit RFC 5322's 998
 * octets (for intake, and for the DSNs of the bounce package). It may use nothing of Petrel's; every other package builds on it, so it sits under
 * every arrow of DESIGN.md's message flow.
 */
package dev.petrel.mail;
