package dev.petrel.delivery.remote;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What remote delivery checks of TLS beyond the destination's policy, and who hears how it went.
 *
 * @param dane the MX hosts' TLSA records (RFC 7672), or {@link DanePolicies#OFF}
 * @param outcomes told the {@link TlsOutcome} of every connection that reached its TLS decision (metrics, TLS
 *                 reports)
 * @param clock the time a DANE-TA certificate's validity is checked at
 */
record TlsRules(DanePolicies dane, Consumer<TlsOutcome> outcomes, Clock clock) {

    static final TlsRules NONE = new TlsRules(DanePolicies.OFF, outcome -> {}, Clock.systemUTC());
}
