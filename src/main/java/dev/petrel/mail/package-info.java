/**
 * The shared vocabulary of Petrel: addresses, domains, paths, envelopes, queue ids, replies with their
 * enhanced status codes, and the decision a policy step returns. Every other package builds on these
 * types; this one imports nothing of Petrel's. It sits under every arrow of the message flow in DESIGN.md.
 */
package dev.petrel.mail;
