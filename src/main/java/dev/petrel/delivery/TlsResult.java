package dev.petrel.delivery;

import dev.petrel.mail.Domain;
import java.time.Instant;

/**
 * The TLS outcome of one connection to an MX host of a recipient domain (the policy domain of RFC 8460).
 *
 * @param mxHost the MX host name connected to
 * @param sendingIp the address the connection left from
 * @param receivingIp the MX host's address
 */
public record TlsResult(Instant at, Domain policyDomain, AppliedTlsPolicy policy, TlsResultType result, String mxHost,
                        String sendingIp, String receivingIp) {}
