package dev.petrel.delivery.remote;

import dev.petrel.dns.TlsaRecord;
import java.util.List;

/** What DANE asks of the connections to one MX host (RFC 7672 2.2), from its TLSA records. */
sealed interface HostDane {

    /** DANE does not apply: the DNS answers were not secure, or there are no TLSA records. */
    record None() implements HostDane {}

    /** Secure TLSA records, some usable: TLS is mandatory and the certificate must match one (RFC 7672 2.2). */
    record Authenticate(List<TlsaRecord> usable) implements HostDane {
        public Authenticate {
            usable = List.copyOf(usable);
        }
    }

    /** Secure TLSA records, none usable: TLS is mandatory, authentication is not (RFC 7672 2.2). */
    record EncryptOnly() implements HostDane {}

    /**
     * The TLSA look-up of a host with secure addresses failed (SERVFAIL, which a validating resolver also says
     * for a bogus answer): the host is not used, never in cleartext (RFC 7672 2.2.1, 2.2.3).
     */
    record LookupFailed(String reason) implements HostDane {}
}
