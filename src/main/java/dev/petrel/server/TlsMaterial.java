package dev.petrel.server;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's certificate and key: read from PEM files, or, when none are configured, a self-signed pair
 * made once and kept in the data folder. The {@link SSLContext} it gives speaks TLS 1.2 and 1.3 only.
 */
public final class TlsMaterial {

    /** TLS 1.2 or newer only (RFC 8996 deprecates the older versions). */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsMaterial() {}

    public static SSLContext load(Path certificate, Path privateKey) throws IOException {
        return context(keyManager(certificate, privateKey, "petrel"));
    }

    /** A server context that takes its certificate from {@code keys}. */
    static SSLContext context(X509KeyManager keys) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** The pair in PEM files, under {@code alias}; a missing file is named as such. */
    static X509ExtendedKeyManager keyManager(Path certificate, Path privateKey, String alias) throws IOException {
        for (Path file : List.of(certificate, privateKey)) {
            if (!Files.isReadable(file)) {
                throw new IOException((Files.exists(file) ? "cannot read: " : "no such file: ") + file);
            }
        }
        try {
            List<X509Certificate> chain = readCertificates(certificate);
            PrivateKey key = readPrivateKey(privateKey);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, new char[0], chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, new char[0]);
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x509) {
                    return x509;
                }
            }
            throw new IOException("no X.509 key manager for " + certificate);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS certificate " + certificate + ": " + e.getMessage(), e);
        }
    }

    /** The configured pair, or the self-signed one in {@code dir}, made now if missing. */
    public static SSLContext loadOrCreate(Path certificate, Path privateKey, Path dir, String hostname) throws IOException {
        return ServerCertificate.open(certificate, privateKey, dir, hostname).context();
    }

    /** The self-signed pair's files in {@code dir}, made now if missing: certificate, then key. */
    static List<Path> selfSigned(Path dir, String hostname) throws IOException {
        Path cert = dir.resolve("selfsigned-cert.pem");
        Path key = dir.resolve("selfsigned-key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            createSelfSigned(cert, key, hostname);
        }
        return List.of(cert, key);
    }

    static void createSelfSigned(Path cert, Path key, String hostname) throws IOException {
        try {
            Files.createDirectories(cert.getParent());
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            Path keyTemp = key.resolveSibling(key.getFileName() + ".tmp");
            Files.deleteIfExists(keyTemp);
            Files.createFile(keyTemp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(keyTemp))) {
                w.writeObject(new JcaMiscPEMGenerator(pair.getPrivate()));
            }
            try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(cert))) {
                w.writeObject(certificate);
            }
            Files.move(keyTemp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no certificate in " + file);
        }
        return out;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            Object o;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no private key in " + file + " (PKCS#1, SEC1 or unencrypted PKCS#8 PEM)");
    }
}
