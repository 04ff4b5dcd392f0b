/**
 * DNS look-ups (MX, A/AAAA, TXT) over dnsjava with a configurable resolver. Uses only {@code mail}. Delivery
 * routes by it and mail authentication checks with it. Empty until the relay issue.
 */
package dev.petrel.dns;
