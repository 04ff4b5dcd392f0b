/**
 * DNS look-ups and routing by them. A {@link dev.petrel.dns.Resolver} answers MX, A/AAAA and TXT queries as
 * typed {@link dev.petrel.dns.Lookup} outcomes (found, NODATA, NXDOMAIN, temporary failure);
 * {@link dev.petrel.dns.DnsjavaResolver} asks configurable nameservers over dnsjava and caches by TTL.
 * {@link dev.petrel.dns.MxRouter} turns a destination domain into an ordered {@link dev.petrel.dns.Route} of
 * hosts and addresses (RFC 5321 5.1, RFC 7505) with its {@link dev.petrel.dns.Site}, guarding against loops back
 * to Petrel. Uses only {@code mail}; delivery routes by it and mail authentication checks with it.
 */
package dev.petrel.dns;
