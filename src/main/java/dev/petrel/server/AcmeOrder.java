package dev.petrel.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * One certificate order at an ACME CA (RFC 8555 section 7): the account (made on first use, found again by its
 * key later), an order for the names, each authorization proven by HTTP-01 (section 8.3) while the HTTP
 * listener answers the tokens kept here, then the CSR and the issued chain.
 */
final class AcmeOrder {

    /** How long the CA may take to check a challenge or to issue the certificate. */
    static final Duration WAIT = Duration.ofMinutes(2);

    private final AcmeCertificates.Settings settings;
    // RFC 8555 8.3: token -> key authorization, while the CA may ask for it
    private final Map<String, String> pending = new ConcurrentHashMap<>();

    AcmeOrder(AcmeCertificates.Settings settings) {
        this.settings = settings;
    }

    /** The key authorization of an HTTP-01 token under way, for GET /.well-known/acme-challenge/{token}. */
    Optional<String> keyAuthorization(String token) {
        return Optional.ofNullable(pending.get(token));
    }

    /** A certificate for the settings' names on {@code domainKey}: the chain, leaf first. */
    List<X509Certificate> obtain(KeyPair accountKey, KeyPair domainKey) throws IOException, InterruptedException {
        try {
            Session session = new Session(settings.directory(), new TrustingProvider(trust(settings.trust())));
            Account account = account(session, accountKey);
            Order order = account.newOrder().domains(settings.names()).create();
            for (Authorization authorization : order.getAuthorizations()) {
                authorize(authorization);
            }
            order.waitUntilReady(WAIT);
            // RFC 8555 7.4: the CSR names the first name as subject and every name as a subjectAltName
            order.execute(domainKey);
            if (order.waitForCompletion(WAIT) != Status.VALID) {
                throw new IOException("the CA did not issue the certificate: "
                        + order.getError().map(Object::toString).orElse("order " + order.getStatus()));
            }
            Certificate certificate = order.getCertificate();
            return certificate.getCertificateChain();
        } catch (AcmeException e) {
            throw new IOException("ACME " + settings.directory() + ": " + e.getMessage(), e);
        }
    }

    private Account account(Session session, KeyPair accountKey) throws AcmeException {
        AccountBuilder builder = new AccountBuilder().useKeyPair(accountKey);
        if (!settings.contact().isEmpty()) {
            builder.addEmail(settings.contact());
        }
        if (settings.acceptTerms()) {
            builder.agreeToTermsOfService();
        }
        return builder.create(session);
    }

    // RFC 8555 8.3: the token's key authorization is served over plain HTTP at port 80 of each name
    private void authorize(Authorization authorization) throws AcmeException, IOException, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return;
        }
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow(() ->
                new IOException("the CA offers no http-01 challenge for " + authorization.getIdentifier()));
        pending.put(challenge.getToken(), challenge.getAuthorization());
        try {
            challenge.trigger();
            Status status = authorization.waitForCompletion(WAIT);
            if (status != Status.VALID) {
                throw new IOException("the CA did not validate " + authorization.getIdentifier().getDomain() + ": "
                        + challenge.getError().map(Object::toString).orElse("authorization " + status));
            }
        } finally {
            pending.remove(challenge.getToken());
        }
    }

    /** The system's trusted roots, or, when {@code file} is set, the certificates in it as well. */
    static SSLContext trust(Path file) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (file == null) {
                context.init(null, null, null);
                return context;
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int n = 0;
            try (var in = Files.newInputStream(file)) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("trust-" + n++, c);
                }
            }
            for (var tm : system.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x) {
                    for (X509Certificate root : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + n++, root);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("[acme] trust " + file + ": " + e.getMessage(), e);
        }
    }

    /** acme4j's provider for any RFC 8555 CA, its HTTP client trusting the configured roots. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext trust;

        TrustingProvider(SSLContext trust) {
            this.trust = trust;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings settings) {
            return HttpClient.newBuilder().connectTimeout(settings.getTimeout()).sslContext(trust)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }

        @Override
        public boolean accepts(URI server) {
            return "https".equals(server.getScheme());
        }
    }
}
