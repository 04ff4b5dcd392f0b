package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.Lookup;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DKIM verification of signatures made by dkimpy (the reference) and by Petrel, with keys from a resolver that
 * answers from a table (the DNS path is the resolver's own, tested apart).
 */
class DkimVerifierTest {

    private static final Domain DOMAIN = Domain.parse("example.com");
    private static DkimKey rsa;
    private static DkimKey ed25519;
    private static final Map<String, Lookup<String>> TXT = new HashMap<>();

    @TempDir
    Path dir;

    private final DkimVerifier verifier = new DkimVerifier(new TxtTable(TXT),
            Clock.fixed(Instant.now(), ZoneOffset.UTC));

    @BeforeAll
    static void keys() {
        rsa = DkimKey.generate(DOMAIN, "rsa1", DkimAlgorithm.RSA_SHA256, new SecureRandom());
        ed25519 = DkimKey.generate(DOMAIN, "ed1", DkimAlgorithm.ED25519_SHA256, new SecureRandom());
        for (DkimKey k : List.of(rsa, ed25519)) {
            TXT.put(k.recordName(), new Lookup.Found<>(List.of(k.record()), Duration.ofMinutes(5)));
        }
        // RFC 8463 A.2: the keys of the appendix's example
        TXT.put("brisbane._domainkey.football.example.com", new Lookup.Found<>(List.of(
                "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="), Duration.ZERO));
        TXT.put("test._domainkey.football.example.com", new Lookup.Found<>(List.of("v=DKIM1; k=rsa; "
                + "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qv"
                + "x/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIK"
                + "T+l/K4w3QIDAQAB"), Duration.ZERO));
        // 32 octets that are no point of Ed25519 (MailAuthFuzzTest's finding)
        TXT.put("offcurve._domainkey.football.example.com", new Lookup.Found<>(List.of(
                "v=DKIM1; k=ed25519; p=11qYAYKxCrfVSQH7O/yWTg7hcvPapiMlrwIaaPcHURo="), Duration.ZERO));
        TXT.put("revoked._domainkey.example.com", new Lookup.Found<>(List.of("v=DKIM1; k=rsa; p="), Duration.ZERO));
        TXT.put("broken._domainkey.example.com", new Lookup.TemporaryFailure<>("SERVFAIL"));
    }

    // folded headers, runs of spaces, 8-bit text and trailing blank lines: what canonicalization is about
    private static final String MESSAGE = "From: Alice <alice@example.com>\r\n"
            + "To: bob@example.org,\r\n\tcarol@example.org\r\n"
            + "Subject:  several   spaces\r\n"
            + "Date: Sun, 1 Nov 2026 12:00:00 +0000\r\n"
            + "\r\n"
            + "caf\u00e9  cr\u00e8me \t\r\n"
            + "second line\r\n"
            + "\r\n\r\n";

    private static String outcomes(List<DkimResult> results) {
        return String.join(",", results.stream().map(r -> r.outcome().value()).toList());
    }

    @ParameterizedTest
    @CsvSource({
            "rsa-sha256, simple/simple", "rsa-sha256, relaxed/relaxed", "rsa-sha256, relaxed/simple",
            "ed25519-sha256, simple/simple", "ed25519-sha256, relaxed/relaxed"})
    void dkimpySignaturesPassAndAChangedMessageFails(String algorithm, String canonicalization) throws Exception {
        byte[] signed = dkimpySigned(MESSAGE, algorithm, canonicalization, false);
        List<DkimResult> results = verifier.verify(signed);
        assertEquals("pass", outcomes(results), results.toString());
        assertEquals("example.com", results.getFirst().domain());
        String text = new String(signed, StandardCharsets.UTF_8);
        assertEquals("fail", outcomes(verifier.verify(bytes(text.replace("second line", "second lime")))));
        assertEquals("fail", outcomes(verifier.verify(bytes(text.replace("Subject:  several", "Subject:  many")))));
    }

    @Test
    void theRfc8463ExampleVerifiesWithBothItsSignatures() throws Exception {
        // RFC 8463 Appendix A.3, as dkimpy's test data carries it (src/test/resources/mailauth/rfc8463-a3.eml)
        byte[] example = Files.readAllBytes(Path.of("src/test/resources/mailauth/rfc8463-a3.eml"));
        List<DkimResult> results = verifier.verify(example);
        assertEquals("pass,pass", outcomes(results), results.toString());
        assertEquals(List.of("brisbane", "test"), results.stream().map(DkimResult::selector).toList());
        String changed = new String(example, StandardCharsets.US_ASCII).replace("We lost the game", "We won the game");
        assertEquals("fail,fail", outcomes(verifier.verify(bytes(changed))));
    }

    // found by MailAuthFuzzTest: BouncyCastle's IllegalArgumentException for a key off the curve escaped verify()
    @Test
    void anEd25519KeyThatIsNoPointOfTheCurveIsAPermError() throws Exception {
        byte[] example = Files.readAllBytes(Path.of("src/test/resources/mailauth/rfc8463-a3.eml"));
        String offCurve = new String(example, StandardCharsets.US_ASCII).replace("s=brisbane", "s=offcurve");
        assertEquals("permerror,pass", outcomes(verifier.verify(bytes(offCurve))));
    }

    // found by MailAuthFuzzTest: an l= or x= that is no number threw NumberFormatException out of verify()
    @Test
    void anLOrXTagThatIsNoNumberIsAPermError() throws Exception {
        String example = Files.readString(Path.of("src/test/resources/mailauth/rfc8463-a3.eml"), StandardCharsets.US_ASCII);
        assertEquals("permerror,pass", outcomes(verifier.verify(bytes(example.replaceFirst("s=brisbane;", "s=brisbane; l=5x;")))));
        assertEquals("permerror,pass", outcomes(verifier.verify(bytes(example.replaceFirst("s=brisbane;", "s=brisbane; x=-1;")))));
    }

    @Test
    void relaxedForgivesRefoldingAndSimpleDoesNot() throws Exception {
        String relaxed = new String(dkimpySigned(MESSAGE, "rsa-sha256", "relaxed/relaxed", false), StandardCharsets.UTF_8);
        String simple = new String(dkimpySigned(MESSAGE, "rsa-sha256", "simple/simple", false), StandardCharsets.UTF_8);
        String refold = "Subject: several spaces";
        assertEquals("pass", outcomes(verifier.verify(bytes(relaxed.replace("Subject:  several   spaces", refold)))));
        assertEquals("fail", outcomes(verifier.verify(bytes(simple.replace("Subject:  several   spaces", refold)))));
        // more empty lines at the end change neither
        assertEquals("pass", outcomes(verifier.verify(bytes(simple + "\r\n\r\n"))));
    }

    @Test
    void aBodyLengthLimitIsHonouredAndReported() throws Exception {
        byte[] signed = dkimpySigned(MESSAGE, "ed25519-sha256", "relaxed/relaxed", true);
        List<DkimResult> results = verifier.verify(bytes(new String(signed, StandardCharsets.UTF_8) + "appended\r\n"));
        assertEquals("pass", outcomes(results));
        long length = bytes("caf\u00e9 cr\u00e8me\r\nsecond line\r\n").length;
        assertEquals(length, results.getFirst().bodyLength());
        assertTrue(results.getFirst().resinfo().startsWith("dkim=pass (signed body length " + length + ") header.d="),
                results.getFirst().resinfo());
    }

    @Test
    void petrelsOwnSignaturesPass() {
        byte[] message = bytes(MESSAGE);
        byte[] signature = DkimSigner.sign(new byte[0], message, List.of(rsa, ed25519), Instant.now());
        byte[] signed = new byte[signature.length + message.length];
        System.arraycopy(signature, 0, signed, 0, signature.length);
        System.arraycopy(message, 0, signed, signature.length, message.length);
        assertEquals("pass,pass", outcomes(verifier.verify(signed)));
    }

    @Test
    void keysThatCannotBeHadGiveErrorsNotFailures() throws Exception {
        String signed = new String(dkimpySigned(MESSAGE, "rsa-sha256", "relaxed/relaxed", false), StandardCharsets.UTF_8);
        assertEquals("permerror", outcomes(verifier.verify(bytes(signed.replace("s=rsa1", "s=missing")))));
        assertEquals("permerror", outcomes(verifier.verify(bytes(signed.replace("s=rsa1", "s=revoked")))));
        assertEquals("temperror", outcomes(verifier.verify(bytes(signed.replace("s=rsa1", "s=broken")))));
        // RFC 8301: rsa-sha1 is not accepted
        assertEquals("permerror", outcomes(verifier.verify(bytes(signed.replace("a=rsa-sha256", "a=rsa-sha1")))));
        assertEquals("", outcomes(verifier.verify(bytes(MESSAGE))), "no signature, no result");
    }

    @Test
    void theResultReadsAsAnAuthenticationResultsMethod() {
        DkimResult r = new DkimResult(DkimResult.Outcome.FAIL, "example.com", "s1", "abc/def+", "body hash did not verify", -1);
        assertEquals("dkim=fail (body hash did not verify) header.d=example.com header.s=s1 header.b=\"abc/def+\"",
                r.resinfo());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] dkimpySigned(String message, String algorithm, String canonicalization, boolean length)
            throws IOException, InterruptedException {
        DkimKey key = algorithm.startsWith("rsa") ? rsa : ed25519;
        return Dkimpy.sign(dir, bytes(message), key, canonicalization, length);
    }
}
