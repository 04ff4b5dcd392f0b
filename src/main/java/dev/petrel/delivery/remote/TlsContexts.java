package dev.petrel.delivery.remote;

import dev.petrel.net.ClientChannel;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The two ways the client speaks TLS. Opportunistic (RFC 7435 3): any certificate is taken, since refusing it would
 * only send the mail in cleartext instead. Required: the chain is verified against the trust store (the JDK's, or
 * one configured) and the MX host name against the certificate (RFC 6125, as RFC 7672 and RFC 8461 do for MX hosts).
 * Both speak TLS 1.2 and 1.3 only (RFC 8996).
 */
final class TlsContexts {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLSocketFactory opportunistic;
    private final SSLSocketFactory verifying;

    TlsContexts(KeyStore trustStore) {
        try {
            SSLContext any = SSLContext.getInstance("TLS");
            any.init(null, new TrustManager[] {new AcceptAny()}, new SecureRandom());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext checked = SSLContext.getInstance("TLS");
            checked.init(null, tmf.getTrustManagers(), new SecureRandom());
            this.opportunistic = any.getSocketFactory();
            this.verifying = checked.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    SSLSocketFactory factory(boolean verify) {
        return verify ? verifying : opportunistic;
    }

    /** STARTTLS to {@code endpoint}: SNI and, when {@code verify}, the certificate checked against its host name. */
    ClientChannel.TlsUpgrade upgrade(Endpoint endpoint, boolean verify) {
        return plain -> {
            SSLSocket tls = (SSLSocket) factory(verify).createSocket(plain, endpoint.serverName(), endpoint.port(),
                    true);
            configure(tls, verify);
            return tls;
        };
    }

    /**
     * STARTTLS to {@code endpoint} under DANE (RFC 7672 3): SNI with the MX host name (RFC 7672 8.1), the chain
     * judged by {@code trust} alone, which checks names itself where the TLSA records ask for it.
     */
    static ClientChannel.TlsUpgrade dane(Endpoint endpoint, DaneTrustManager trust) {
        return plain -> {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trust}, new SecureRandom());
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, endpoint.serverName(),
                        endpoint.port(), true);
                configure(tls, false);
                return tls;
            } catch (GeneralSecurityException e) {
                throw new java.io.IOException("cannot set up TLS: " + e.getMessage(), e);
            }
        };
    }

    static void configure(SSLSocket socket, boolean verifyHostName) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        if (verifyHostName) {
            // RFC 6125 6: the reference identity is the MX host name; the JDK's "HTTPS" rules check the DNS-ID
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(parameters);
    }

    /** RFC 7435: opportunistic TLS authenticates nothing; encryption alone beats cleartext. */
    private static final class AcceptAny extends ServerChainCheck {
        @Override
        void checkChain(X509Certificate[] chain) {}
    }
}
