/**
 * Users, their credentials (Argon2id hashes and SCRAM-SHA-256 secrets), and the domains Petrel knows, in a
 * store that the command line may change while a server runs. Uses only {@code mail}. Policy asks it who may
 * send and who receives; the SMTP server's AUTH checks credentials against it.
 */
package dev.petrel.account;
