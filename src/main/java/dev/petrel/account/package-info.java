/**
 * Users and their credentials (Argon2id hashes, SCRAM-SHA-256 secrets), domains, aliases and DKIM keys, in a store
 * the command line may change while a server runs, and {@link dev.petrel.account.LocalRecipients}, who an address
 * of a local domain is. May use only {@code mail}. In DESIGN.md's flow, the send policy asks it who may send and
 * who receives, AUTH checks credentials against it, and local delivery looks mailboxes up in it.
 */
package dev.petrel.account;
