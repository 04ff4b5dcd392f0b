package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.delivery.remote.TlsOutcome.Failure;
import dev.petrel.dns.TlsaRecord;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLSA matching on its own (RFC 6698 2.1, RFC 7672 3.1 and 3.2), over certificates made for the test. */
class TlsaMatcherTest {

    private static final List<String> NAMES = List.of("mx.dane.test", "dane.test");
    private static TestCertificate authority;
    private static TestCertificate leaf;
    private static TestCertificate elsewhere;
    private static TestCertificate selfSigned;

    @BeforeAll
    static void makeCertificates() throws Exception {
        authority = TestCertificate.authority("Test DANE CA");
        leaf = new TestCertificate("mx.dane.test", authority);
        elsewhere = new TestCertificate("mx.elsewhere.test", authority);
        selfSigned = new TestCertificate("mx.dane.test");
    }

    /** The TLSA record that names {@code certificate} with these parameters, as a zone would publish it. */
    static TlsaRecord tlsa(int usage, int selector, int matching, X509Certificate certificate) throws Exception {
        byte[] selected = selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
        byte[] data = switch (matching) {
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> selected;
        };
        return new TlsaRecord(usage, selector, matching, data);
    }

    private static Optional<TlsaMatcher.Mismatch> check(TlsaRecord record, TestCertificate server, Instant now) {
        X509Certificate[] chain = java.util.Arrays.stream(server.chain).map(c -> (X509Certificate) c)
                .toArray(X509Certificate[]::new);
        return new TlsaMatcher(List.of(record), NAMES, now).check(chain);
    }

    // DANE-EE(3) with each selector and matching type
    @ParameterizedTest
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneEeMatchesTheServersOwnCertificateOrKey(int selector, int matching) throws Exception {
        assertEquals(Optional.empty(), check(tlsa(3, selector, matching, selfSigned.certificate), selfSigned,
                Instant.now()));
        Optional<TlsaMatcher.Mismatch> other = check(tlsa(3, selector, matching, leaf.certificate), selfSigned,
                Instant.now());
        assertEquals(Failure.VALIDATION_FAILURE, other.orElseThrow().failure());
    }

    @Test
    void daneEeIgnoresNamesAndExpiry() throws Exception {
        // RFC 7672 3.1.1: the key is what is authenticated, not the names or the dates
        TlsaRecord record = tlsa(3, 1, 1, elsewhere.certificate);
        assertEquals(Optional.empty(), check(record, elsewhere, Instant.now().plus(Duration.ofDays(3650))));
    }

    @Test
    void daneTaMatchesAnAuthorityThatSignedACertificateForTheMxHost() throws Exception {
        assertEquals(Optional.empty(), check(tlsa(2, 0, 1, authority.certificate), leaf, Instant.now()));
        assertEquals(Optional.empty(), check(tlsa(2, 1, 1, authority.certificate), leaf, Instant.now()));
    }

    @Test
    void daneTaRefusesACertificateForAnotherName() throws Exception {
        Optional<TlsaMatcher.Mismatch> out = check(tlsa(2, 0, 1, authority.certificate), elsewhere, Instant.now());
        assertEquals(Failure.CERTIFICATE_HOST_MISMATCH, out.orElseThrow().failure());
        assertTrue(out.get().reason().contains("mx.elsewhere.test"), out.get()::reason);
    }

    @Test
    void daneTaRefusesAnExpiredCertificate() throws Exception {
        Optional<TlsaMatcher.Mismatch> out = check(tlsa(2, 0, 1, authority.certificate), leaf,
                Instant.now().plus(Duration.ofDays(365)));
        assertEquals(Failure.CERTIFICATE_EXPIRED, out.orElseThrow().failure());
    }

    @Test
    void daneTaRefusesAnAuthorityThatDidNotSignTheChain() throws Exception {
        TestCertificate other = TestCertificate.authority("Another CA");
        Optional<TlsaMatcher.Mismatch> out = check(tlsa(2, 0, 1, other.certificate), leaf, Instant.now());
        assertEquals(Failure.VALIDATION_FAILURE, out.orElseThrow().failure());
        // the server's own certificate is not a trust anchor (it is the end entity)
        assertTrue(check(tlsa(2, 0, 1, selfSigned.certificate), selfSigned, Instant.now()).isPresent());
    }

    @Test
    void anyMatchingRecordOfTheSetWins() throws Exception {
        TlsaMatcher matcher = new TlsaMatcher(List.of(tlsa(3, 1, 1, elsewhere.certificate),
                tlsa(2, 0, 1, authority.certificate)), NAMES, Instant.now());
        assertEquals(Optional.empty(), matcher.check(new X509Certificate[] {leaf.certificate, authority.certificate}));
        assertTrue(matcher.check(new X509Certificate[0]).isPresent());
    }

    @Test
    void wildcardsStandForOneLeftMostLabel() {
        assertTrue(TlsaMatcher.nameMatches("*.dane.test", "mx.dane.test"));
        assertFalse(TlsaMatcher.nameMatches("*.dane.test", "a.mx.dane.test"));
        assertFalse(TlsaMatcher.nameMatches("*.dane.test", "dane.test"));
        assertTrue(TlsaMatcher.nameMatches("mx.dane.test", "mx.dane.test"));
    }

    @Test
    void theReadmesRecipeForA311RecordNamesTheServersKey(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("fullchain.pem");
        selfSigned.writePem(cert, dir.resolve("privkey.pem"));
        // the recipe's two lines, as the README's DANE section writes them
        List<String> readme = java.nio.file.Files.readAllLines(Path.of("README.md"));
        int first = readme.indexOf(readme.stream()
                .filter(l -> l.startsWith("openssl x509 -in /etc/petrel/tls/fullchain.pem")).findFirst().orElseThrow());
        String command = (readme.get(first).replace("\\", "") + readme.get(first + 1))
                .replace("/etc/petrel/tls/fullchain.pem", cert.toString());
        Process openssl = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(0, openssl.waitFor(), out);
        String hex = out.substring(out.lastIndexOf('=') + 1).strip();
        TlsaRecord published = new TlsaRecord(3, 1, 1, java.util.HexFormat.of().parseHex(hex));
        assertTrue(TlsaMatcher.matches(published, selfSigned.certificate), out);
        assertEquals(Optional.empty(), check(published, selfSigned, Instant.now()));
    }

    // RFC 7672 3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable; RFC 6698: unknown selectors and matching types too
    @ParameterizedTest
    @CsvSource({"0,0,1,false", "1,1,1,false", "2,0,1,true", "3,1,1,true", "3,1,2,true", "3,1,0,true",
            "3,2,1,false", "3,1,3,false", "4,1,1,false"})
    void onlyDaneUsagesWithKnownParametersAreUsable(int usage, int selector, int matching, boolean usable) {
        assertEquals(usable, TlsaMatcher.usable(new TlsaRecord(usage, selector, matching, new byte[32])));
    }
}
