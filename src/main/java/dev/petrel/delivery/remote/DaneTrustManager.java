package dev.petrel.delivery.remote;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server's certificate chain when it matches the host's TLSA records, and nothing else (RFC 7672 3.1):
 * the handshake fails otherwise, and the mismatch is kept to say why. One per connection.
 */
final class DaneTrustManager extends X509ExtendedTrustManager {

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
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        Optional<TlsaMatcher.Mismatch> refused = matcher.check(chain);
        if (refused.isPresent()) {
            mismatch = refused.get();
            throw new CertificateException("DANE: " + refused.get().reason());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a delivery client authenticates servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
