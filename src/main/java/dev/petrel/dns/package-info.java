/**
 * DNS look-ups and routing by them: a {@link dev.petrel.dns.Resolver} answers MX, A/AAAA and TXT queries as typed
 * {@link dev.petrel.dns.Lookup} outcomes ({@link dev.petrel.dns.DnsjavaResolver} over dnsjava, cached by TTL), and
 * {@link dev.petrel.dns.MxRouter} turns a destination domain into an ordered {@link dev.petrel.dns.Route} of hosts
 * (RFC 5321 5.1, RFC 7505) with its {@link dev.petrel.dns.Site}, guarding against loops back to Petrel. Answers say
 * whether DNSSEC authenticated them (a validating resolver's AD bit, believed only when configured), and TLSA
 * records are looked up for DANE (RFC 7672). May use only
 * {@code mail}. In DESIGN.md's flow, delivery routes by it and mail authentication checks with it.
 */
package dev.petrel.dns;
