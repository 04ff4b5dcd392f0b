/**
 * DKIM signing and verification, SPF, DMARC and the Authentication-Results header. Uses {@code mail} and
 * {@code dns}. Intake signs with it (DKIM signing is built: RSA and Ed25519, relaxed/relaxed); the mx listener will check
 * with it (verification, SPF and DMARC are not built yet).
 */
package dev.petrel.mailauth;
