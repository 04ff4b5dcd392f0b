/**
 * DKIM signing and verification (RSA and Ed25519), SPF, DMARC with the Public Suffix List, and the
 * Authentication-Results header. May use {@code mail} and {@code dns}. In DESIGN.md's flow, intake signs the mail
 * that starts here with it, and checks the DKIM signatures, SPF and DMARC of mail from elsewhere.
 */
package dev.petrel.mailauth;
