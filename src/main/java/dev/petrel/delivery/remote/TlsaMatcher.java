package dev.petrel.delivery.remote;

import dev.petrel.delivery.remote.TlsOutcome.Failure;
import dev.petrel.dns.TlsaRecord;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Matches a server's certificate chain against its TLSA records as RFC 7672 3.1 asks of SMTP: DANE-EE(3) matches
 * the server's own certificate or public key, whatever its names and dates (3.1.1); DANE-TA(2) matches a trust
 * anchor in the chain the server sent, which must have signed the path to the server's certificate, whose names
 * must match the MX host or the destination (3.1.2, 3.2.2). PKIX-TA(0) and PKIX-EE(1) are unusable (3.1.3).
 */
final class TlsaMatcher {

    /** Why a chain did not match, as RFC 8460 names it, and in words. */
    record Mismatch(Failure failure, String reason) {}

    private final List<TlsaRecord> usable;
    private final List<String> names;
    private final Instant now;

    /**
     * @param usable the usable records ({@link #usable(TlsaRecord)}), at least one
     * @param names the reference identifiers: the TLSA base domain (the MX host), then the destination domain
     */
    TlsaMatcher(List<TlsaRecord> usable, List<String> names, Instant now) {
        this.usable = List.copyOf(usable);
        this.names = names.stream().map(TlsaMatcher::normalize).toList();
        this.now = now;
    }

    // RFC 7672 3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable; RFC 6698 2.1: unknown parameters are unusable
    static boolean usable(TlsaRecord record) {
        return (record.usage() == 2 || record.usage() == 3) && record.selector() <= 1 && record.matchingType() <= 2;
    }

    /** Empty when some record matches the chain; otherwise why none did. */
    Optional<Mismatch> check(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.of(new Mismatch(Failure.VALIDATION_FAILURE, "the server sent no certificate"));
        }
        Mismatch nearest = null;
        for (TlsaRecord record : usable) {
            Optional<Mismatch> outcome = record.usage() == 3 ? endEntity(record, chain[0]) : trustAnchor(record, chain);
            if (outcome.isEmpty()) {
                return outcome;
            }
            if (nearest == null || outcome.get().failure() != Failure.VALIDATION_FAILURE) {
                nearest = outcome.get();
            }
        }
        return Optional.of(nearest);
    }

    // RFC 7672 3.1.1: DANE-EE(3) ignores names and expiry
    private static Optional<Mismatch> endEntity(TlsaRecord record, X509Certificate leaf) {
        return matches(record, leaf) ? Optional.empty() : Optional.of(new Mismatch(Failure.VALIDATION_FAILURE,
                "the server's certificate matches no TLSA record (" + record + ")"));
    }

    // RFC 7672 3.1.2: the trust anchor is in the chain the server sent; the path below it must verify
    private Optional<Mismatch> trustAnchor(TlsaRecord record, X509Certificate[] chain) {
        for (int anchor = 1; anchor < chain.length; anchor++) {
            if (matches(record, chain[anchor])) {
                if (!signedDown(chain, anchor)) {
                    return Optional.of(new Mismatch(Failure.VALIDATION_FAILURE,
                            "the chain does not verify up to the trust anchor of TLSA " + record));
                }
                return leafAcceptable(chain[0]);
            }
        }
        return Optional.of(new Mismatch(Failure.VALIDATION_FAILURE,
                "no certificate in the server's chain matches TLSA " + record));
    }

    private Optional<Mismatch> leafAcceptable(X509Certificate leaf) {
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateException e) {
            return Optional.of(new Mismatch(Failure.CERTIFICATE_EXPIRED,
                    "the server's certificate is not valid now: " + e.getMessage()));
        }
        // RFC 7672 3.2.2: the reference identifiers are the MX host (the TLSA base domain) and the next-hop domain
        for (String presented : presentedNames(leaf)) {
            if (names.stream().anyMatch(name -> nameMatches(presented, name))) {
                return Optional.empty();
            }
        }
        return Optional.of(new Mismatch(Failure.CERTIFICATE_HOST_MISMATCH,
                "the server's certificate names " + presentedNames(leaf) + ", none of " + names));
    }

    private static boolean signedDown(X509Certificate[] chain, int anchor) {
        try {
            for (int i = 0; i < anchor; i++) {
                chain[i].verify(chain[i + 1].getPublicKey());
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // RFC 6698 2.1.2 and 2.1.3: the selected part of the certificate, compared whole or by digest
    static boolean matches(TlsaRecord record, X509Certificate certificate) {
        try {
            byte[] selected = record.selector() == 0 ? certificate.getEncoded()
                    : certificate.getPublicKey().getEncoded();
            byte[] compared = switch (record.matchingType()) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return compared != null && MessageDigest.isEqual(compared, record.data());
        } catch (CertificateException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    // RFC 6125 6.4.4: the DNS-IDs when there are any, else the subject's CN
    static List<String> presentedNames(X509Certificate leaf) {
        List<String> out = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(normalize((String) san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (out.isEmpty()) {
            commonName(leaf.getSubjectX500Principal()).ifPresent(cn -> out.add(normalize(cn)));
        }
        return out;
    }

    private static Optional<String> commonName(X500Principal subject) {
        for (String part : subject.getName(X500Principal.RFC2253).split(",")) {
            if (part.regionMatches(true, 0, "CN=", 0, 3)) {
                return Optional.of(part.substring(3));
            }
        }
        return Optional.empty();
    }

    // RFC 7672 3.2.3: a wildcard stands for exactly the left-most label
    static boolean nameMatches(String presented, String reference) {
        if (presented.startsWith("*.")) {
            int dot = reference.indexOf('.');
            return dot > 0 && reference.substring(dot + 1).equals(presented.substring(2));
        }
        return presented.equals(reference);
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
