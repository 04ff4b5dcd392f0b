/**
 * DKIM signing and verification (RSA and Ed25519), SPF, DMARC with the Public Suffix List, ARC validation and
 * sealing (RFC 8617) on the DKIM machinery, and the Authentication-Results header. May use {@code mail} and
 * {@code dns}. In DESIGN.md's flow, intake signs the mail that starts here with it, checks the DKIM signatures,
 * SPF, DMARC and ARC chain of mail from elsewhere, and seals the copies that aliases forward to other servers. Beside the flow,
 * {@code DomainReadiness} asks the same questions of a sending domain's own DNS ({@code petrel domain check}).
 */
package dev.petrel.mailauth;
