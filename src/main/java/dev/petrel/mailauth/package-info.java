/**
 * DKIM signing and verification (RSA and Ed25519), SPF, DMARC with the Public Suffix List, and the
 * Authentication-Results header. May use {@code mail} and {@code dns}. In DESIGN.md's flow, intake signs the mail
 * that starts here with it, and checks the DKIM signatures, SPF and DMARC of mail from elsewhere. Beside the flow,
 * {@code DomainReadiness} asks the same questions of a sending domain's own DNS ({@code petrel domain check}).
 */
package dev.petrel.mailauth;
