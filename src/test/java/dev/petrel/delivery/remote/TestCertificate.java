package dev.petrel.delivery.remote;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
/**
 * A certificate for one host name (or one IPv4 address, or several), made with Bouncy Castle as the server's
 * TlsMaterial makes one: self-signed, or signed by a test certificate authority (then the server sends the chain of
 * both).
 */
public final class TestCertificate {

    final KeyPair pair;
    public final X509Certificate certificate;
    final Certificate[] chain;

    public TestCertificate(String hostname) throws Exception {
        this(new String[] {hostname}, null, false);
    }

    /** For several names (or addresses), the first also the subject's CN. */
    public TestCertificate(String... hostnames) throws Exception {
        this(hostnames, null, false);
    }

    /** A certificate for {@code hostname} signed by {@code issuer}. */
    TestCertificate(String hostname, TestCertificate issuer) throws Exception {
        this(new String[] {hostname}, issuer, false);
    }

    /** A self-signed certificate authority, to sign others. */
    static TestCertificate authority(String name) throws Exception {
        return new TestCertificate(new String[] {name}, null, true);
    }

    private TestCertificate(String[] hostnames, TestCertificate issuer, boolean authority) throws Exception {
        String hostname = hostnames[0];
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + hostname);
        X500Name issuerName = issuer == null ? name : new X500Name(issuer.certificate.getSubjectX500Principal().getName());
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), name, pair.getPublic());
        if (authority) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        } else {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(java.util.Arrays.stream(hostnames).map(h -> new GeneralName(h.matches("[0-9.]+")
                            ? GeneralName.iPAddress : GeneralName.dNSName, h)).toArray(GeneralName[]::new)));
        }
        KeyPair signer = issuer == null ? pair : issuer.pair;
        certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        chain = issuer == null ? new Certificate[] {certificate} : new Certificate[] {certificate, issuer.certificate};
    }

    /** The server side: this certificate and its key. */
    SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pair.getPrivate(), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /** A trust store holding only this certificate. */
    public KeyStore trustStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("trusted", certificate);
        return store;
    }

    /** The certificate and its key (unencrypted PKCS#8, which OpenSSL reads) as PEM files. */
    public void writePem(Path cert, Path key) throws IOException {
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(cert))) {
            w.writeObject(certificate);
        }
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(key))) {
            w.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
    }
}
