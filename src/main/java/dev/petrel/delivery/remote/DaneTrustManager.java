package dev.petrel.delivery.remote;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Trusts a server's certificate chain when it matches the host's TLSA records, and nothing else (RFC 7672 3.1):
 * the handshake fails otherwise, and the mismatch is kept to say why. One per connection. Nothing but the matcher
 * judges the chain: DANE-EE ignores everything in the certificate but its key (RFC 7672 3.1.1).
 */
final class DaneTrustManager extends ServerChainCheck {

    private final TlsaMatcher matcher;
    private volatile TlsaMatcher.Mismatch mismatch;

    DaneTrustManager(TlsaMatcher matcher) {
        this.matcher = matcher;
    }

    /** Why the last chain was refused, if it was. */
    Optional<TlsaMatcher.Mismatch> mismatch() {
        return Optional.ofNullable(mismatch);
    }

    @Override
    void checkChain(X509Certificate[] chain) throws CertificateException {
        Optional<TlsaMatcher.Mismatch> refused = matcher.check(chain);
        if (refused.isPresent()) {
            mismatch = refused.get();
            throw new CertificateException("DANE: " + refused.get().reason());
        }
    }
}
