/**
 * DKIM signing and verification, SPF, DMARC and the Authentication-Results header. Uses {@code mail} and
 * {@code dns}. Intake signs mail that starts here with it, and checks the DKIM signatures of mail from
 * elsewhere, SPF and DMARC, writing Authentication-Results.
 */
package dev.petrel.mailauth;
