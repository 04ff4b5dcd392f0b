/**
 * DKIM signing and verification, SPF, DMARC and the Authentication-Results header. Uses {@code mail} and
 * {@code dns}. Intake signs with it; the mx listener checks with it. Empty until the mail authentication issue.
 */
package dev.petrel.mailauth;
