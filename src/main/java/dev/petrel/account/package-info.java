/**
 * Users, their credentials (Argon2id hashes and SCRAM-SHA-256 secrets, made here before a store keeps them), the
 * domains Petrel knows, aliases and DKIM keys, behind one role interface each ({@link dev.petrel.account.Users},
 * {@link dev.petrel.account.Domains}, {@link dev.petrel.account.Aliases}, {@link dev.petrel.account.DkimKeyStore})
 * that the command line may change while a server runs; {@code store} implements them in SQL. May use only
 * {@code mail}. Policy asks it who may send and who receives; the SMTP server's AUTH checks credentials against it.
 */
package dev.petrel.account;
