package dev.petrel.delivery.remote;

import dev.petrel.delivery.TlsResultType;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies, after the fact, the certificate of a session that took any certificate: under an MTA-STS policy in
 * testing mode mail goes on whatever the certificate, and the TLS report says whether it would have passed
 * (RFC 8461 5, RFC 8460 4.3.1): the chain against the trust store, the MX host name against its DNS names.
 */
final class CertificateCheck {

    // RFC 6125 6.4.3, as RFC 8461 4.1 matches MX patterns: a wildcard stands for exactly one label on the left
    private static final int DNS_NAME = 2;

    private final X509TrustManager trust;

    /** @param trustStore the certificates that verify a server; null for the JDK's trust store */
    CertificateCheck(KeyStore trustStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            X509TrustManager found = null;
            for (TrustManager m : tmf.getTrustManagers()) {
                if (m instanceof X509TrustManager x509) {
                    found = x509;
                }
            }
            this.trust = found;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** What a verifying client would have found of this chain for {@code host}. */
    TlsResultType check(List<X509Certificate> chain, String host) {
        if (chain.isEmpty() || trust == null) {
            return TlsResultType.VALIDATION_FAILURE;
        }
        try {
            // "UNKNOWN": the authentication type JSSE itself gives for TLS 1.3, where the cipher suite names none
            trust.checkServerTrusted(chain.toArray(X509Certificate[]::new), "UNKNOWN");
        } catch (CertificateException e) {
            return TlsFailures.classify(e);
        }
        return names(chain.getFirst()).matches(host) ? TlsResultType.SUCCESS
                : TlsResultType.CERTIFICATE_HOST_MISMATCH;
    }

    private static MtaStsPolicy names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (name.get(0) instanceof Integer type && type == DNS_NAME) {
                        names.add(name.get(1).toString().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no names: nothing matches
        }
        return new MtaStsPolicy(MtaStsPolicy.Mode.NONE, names, Duration.ZERO, "");
    }
}
