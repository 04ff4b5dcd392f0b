package dev.petrel.delivery.remote;

import dev.petrel.delivery.TlsResultType;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/** Names a failed TLS handshake with the result types of RFC 8460 4.3.1, from the JDK's exception. */
final class TlsFailures {

    private TlsFailures() {}

    static TlsResultType classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return TlsResultType.CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return TlsResultType.CERTIFICATE_NOT_TRUSTED;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            // the JDK's host name check (HostnameChecker): "No subject alternative DNS name matching ... found"
            if (t instanceof CertificateException && (message.contains("no subject alternative")
                    || message.contains("no name matching"))) {
                return TlsResultType.CERTIFICATE_HOST_MISMATCH;
            }
        }
        return TlsResultType.VALIDATION_FAILURE;
    }
}
