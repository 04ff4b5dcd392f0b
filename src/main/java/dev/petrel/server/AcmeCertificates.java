package dev.petrel.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The server's certificate from an ACME CA: obtained when there is none, renewed when the clock comes within
 * {@code renewBefore} of its expiry, kept in one folder of the data folder (account key, certificate key and
 * chain, each mode 0600), and put in use by {@link ServerCertificate#switchTo}, so the next handshake of every
 * SMTP listener and of HTTPS uses it while connections already encrypted keep theirs.
 */
public final class AcmeCertificates implements AutoCloseable {

    /**
     * What to ask of which CA.
     *
     * @param trust a PEM file of roots trusted for the directory's HTTPS besides the system's; null for none
     */
    public record Settings(URI directory, String contact, List<String> names, boolean acceptTerms,
                           Duration renewBefore, Duration checkInterval, Path trust) {
        public Settings {
            names = List.copyOf(names);
        }
    }

    private static final int ACCOUNT_KEY_BITS = 2048;
    private static final int DOMAIN_KEY_BITS = 2048;

    private final Settings settings;
    private final Path dir;
    private final ServerCertificate certificate;
    private final Clock clock;
    private final Consumer<String> log;
    private final AcmeOrder order;
    private ScheduledExecutorService checks;

    public AcmeCertificates(Settings settings, Path dir, ServerCertificate certificate, Clock clock,
                            Consumer<String> log) {
        this.settings = settings;
        this.dir = dir;
        this.certificate = certificate;
        this.clock = clock;
        this.log = log;
        this.order = new AcmeOrder(settings);
    }

    /** Where the chain is kept, leaf first (PEM). */
    public Path chainFile() {
        return dir.resolve("chain.pem");
    }

    /** Where the certificate's private key is kept (PEM, mode 0600). */
    public Path keyFile() {
        return dir.resolve("key.pem");
    }

    /** Where the ACME account's private key is kept (PEM, mode 0600). */
    public Path accountKeyFile() {
        return dir.resolve("account-key.pem");
    }

    /** The key authorization of an HTTP-01 token under way (RFC 8555 8.3), empty for any other token. */
    public Optional<String> keyAuthorization(String token) {
        return order.keyAuthorization(token);
    }

    /** Puts a certificate kept from before in use at once, so a restart serves it before any check runs. */
    public void useKept() throws IOException {
        if (Files.exists(chainFile()) && Files.exists(keyFile())) {
            certificate.switchTo(chainFile(), keyFile());
        }
    }

    /** Checks now, then every {@code checkInterval}; a failed check is logged and tried again at the next. */
    public synchronized void start() {
        checks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("petrel-acme").daemon().factory());
        checks.scheduleWithFixedDelay(this::check, 0, settings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            renewIfDue();
        } catch (IOException | RuntimeException e) {
            log.accept("acme=failed names=" + String.join(",", settings.names()) + " error=\"" + e.getMessage()
                    + "\"");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Obtains a certificate when there is none or the kept one expires within the margin; true when it did. */
    public boolean renewIfDue() throws IOException, InterruptedException {
        synchronized (order) {
            Optional<Instant> expiry = keptExpiry();
            if (expiry.isPresent() && clock.instant().isBefore(expiry.get().minus(settings.renewBefore()))) {
                return false;
            }
            renew();
            return true;
        }
    }

    // the kept leaf's notAfter; empty when there is none or it cannot be read (then a new one is asked for)
    private Optional<Instant> keptExpiry() {
        if (!Files.exists(chainFile()) || !Files.exists(keyFile())) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(chainFile())) {
            var leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            return Optional.of(leaf.getNotAfter().toInstant());
        } catch (IOException | java.security.GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private void renew() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        KeyPair accountKey = accountKey();
        // a new key with each certificate, so a key that leaked stops being trusted at the latest with it
        KeyPair domainKey = KeyPairUtils.createKeyPair(DOMAIN_KEY_BITS);
        List<X509Certificate> chain = order.obtain(accountKey, domainKey);
        Path keyTemp = writeSecret(keyFile(), w -> KeyPairUtils.writeKeyPair(domainKey, w));
        Path chainTemp = writeSecret(chainFile(), w -> {
            try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
                for (X509Certificate c : chain) {
                    pem.writeObject(c);
                }
            }
        });
        Files.move(keyTemp, keyFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(chainTemp, chainFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        certificate.switchTo(chainFile(), keyFile());
        log.accept("acme=issued names=" + String.join(",", settings.names()) + " not_after="
                + chain.get(0).getNotAfter().toInstant() + " issuer=\"" + chain.get(0).getIssuerX500Principal().getName()
                + "\"");
    }

    // the account is found again by its key (RFC 8555 7.3.1): made once, kept
    private KeyPair accountKey() throws IOException {
        Path file = accountKeyFile();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                return KeyPairUtils.readKeyPair(r);
            }
        }
        KeyPair key = KeyPairUtils.createKeyPair(ACCOUNT_KEY_BITS);
        Files.move(writeSecret(file, w -> KeyPairUtils.writeKeyPair(key, w)), file, StandardCopyOption.ATOMIC_MOVE);
        return key;
    }

    private interface Content {
        void write(Writer w) throws IOException;
    }

    // a file beside {@code target}, readable by the owner alone from its creation, for an atomic move over it
    private static Path writeSecret(Path target, Content content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(temp)) {
            content.write(w);
        }
        return temp;
    }

    @Override
    public synchronized void close() {
        if (checks != null) {
            checks.shutdownNow();
            try {
                checks.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
