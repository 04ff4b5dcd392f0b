package dev.petrel.delivery;

import dev.petrel.mail.Domain;
import java.time.LocalDate;
import java.util.List;

/**
 * Where delivery leaves the TLS result of each connection to an MX host, and where the daily TLS reports
 * (RFC 8460) read them back: counted per UTC day, policy domain, policy, result, MX host and addresses, never one
 * entry per message.
 */
public interface TlsResults {

    /** Counts one session. */
    void record(TlsResult result);

    /** The counts of a UTC day, for every policy domain. */
    List<Count> day(LocalDate day);

    /** Forgets the counts of the days before {@code day}. */
    void forgetBefore(LocalDate day);

    /**
     * Sessions with the same outcome on one day. Successes are counted without their host and addresses (a
     * report names those of failures only), which keeps the rows few.
     */
    record Count(Domain policyDomain, AppliedTlsPolicy policy, TlsResultType result, String mxHost,
                 String sendingIp, String receivingIp, long sessions) {}

    /** Records nothing: TLS reports are off. */
    TlsResults NONE = new TlsResults() {
        @Override
        public void record(TlsResult result) {}

        @Override
        public List<Count> day(LocalDate day) {
            return List.of();
        }

        @Override
        public void forgetBefore(LocalDate day) {}
    };
}
