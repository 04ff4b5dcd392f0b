package dev.petrel.dns;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The outcome of one DNS look-up. A failure of the DNS is an outcome like any other, read with {@code switch}:
 * the records were found, the name exists without records of the type (NODATA), the name does not exist
 * (NXDOMAIN, RFC 1035 4.1.1 RCODE 3), or the answer could not be had now (SERVFAIL, REFUSED, a timeout, a
 * network error). Each answer says whether it is {@linkplain #secure() secure}: DNSSEC-authenticated by a validating
 * resolver that Petrel was told to believe (RFC 4035 3.2.3, the AD bit; RFC 7672 2.1.1 calls such answers secure).
 */
public sealed interface Lookup<T> {

    /** Records of the asked type, after any CNAMEs; {@code ttl} is the least TTL of the answer. */
    record Found<T>(List<T> records, Duration ttl, boolean secure) implements Lookup<T> {

        /** An answer that is not known to be authenticated. */
        public Found(List<T> records, Duration ttl) {
            this(records, ttl, false);
        }

        public Found {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("found means at least one record; use NoRecords");
            }
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("negative ttl: " + ttl);
            }
        }
    }

    /** The name exists but has no record of the type (NODATA, RFC 2308 2.2). */
    record NoRecords<T>(boolean secure) implements Lookup<T> {
        public NoRecords() {
            this(false);
        }
    }

    /** The name does not exist (NXDOMAIN, RFC 2308 2.1). */
    record NoSuchDomain<T>(boolean secure) implements Lookup<T> {
        public NoSuchDomain() {
            this(false);
        }
    }

    /** No answer now: SERVFAIL, REFUSED, a timeout or a network error. Worth asking again later. */
    record TemporaryFailure<T>(String reason) implements Lookup<T> {
        /** A failure authenticates nothing; with a validating resolver, a bogus answer comes back as SERVFAIL. */
        @Override
        public boolean secure() {
            return false;
        }
    }

    /**
     * True when the answer (records, NODATA or NXDOMAIN) was authenticated by DNSSEC: the resolver set the AD bit
     * and Petrel is configured to believe it ({@code [dns] dnssec}). False for every answer otherwise.
     */
    boolean secure();

    /** The same outcome with each found record changed by {@code f}. */
    default <R> Lookup<R> map(Function<? super T, ? extends R> f) {
        return switch (this) {
            case Found<T> found -> new Found<R>(found.records().stream().<R>map(f).toList(), found.ttl(),
                    found.secure());
            case NoRecords<T> none -> new NoRecords<>(none.secure());
            case NoSuchDomain<T> none -> new NoSuchDomain<>(none.secure());
            case TemporaryFailure<T> failure -> new TemporaryFailure<>(failure.reason());
        };
    }

    /** The found records, or an empty list for any other outcome. */
    default List<T> records() {
        return this instanceof Found<T> found ? found.records() : List.of();
    }
}
