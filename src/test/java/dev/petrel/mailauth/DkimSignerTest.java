package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.Domain;
import dev.petrel.mail.HeaderSection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DKIM signatures as Petrel makes them, checked against RFC 6376's rules and by dkimpy, the reference verifier. */
class DkimSignerTest {

    private static final String SYSTEM_PYTHON = "/usr/bin/python3";
    private static final Domain DOMAIN = Domain.parse("example.com");
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static DkimKey rsa;
    private static DkimKey ed25519;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        SecureRandom random = new SecureRandom();
        rsa = DkimKey.generate(DOMAIN, "rsa2026", DkimAlgorithm.RSA_SHA256, random);
        ed25519 = DkimKey.generate(DOMAIN, "ed2026", DkimAlgorithm.ED25519_SHA256, random);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // --- RFC 6376 3.4.5's example

    @Test
    void relaxedHeadersFollowTheRfcExample() {
        HeaderSection s = HeaderSection.read(bytes("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n"));
        assertEquals("a:X\r\n", Canonical.relaxedHeader(s.fields().get(0)));
        assertEquals("b:Y Z\r\n", Canonical.relaxedHeader(s.fields().get(1)));
    }

    @Test
    void relaxedBodyFollowsTheRfcExample() throws Exception {
        byte[] message = bytes("A: X\r\n\r\n C \r\nD \t E\r\n\r\n\r\n");
        int start = HeaderSection.read(message).bodyStart();
        assertEquals(base64Sha256(" C\r\nD E\r\n"), DkimSigner.bodyHash(message, start));
    }

    @Test
    void anEmptyBodyAndOneOfEmptyLinesHashAsNothing() throws Exception {
        String empty = base64Sha256("");
        assertEquals(empty, DkimSigner.bodyHash(bytes("A: X\r\n\r\n"), 8));
        assertEquals(empty, DkimSigner.bodyHash(bytes("A: X\r\n\r\n\r\n \r\n"), 8));
        // a last line without CRLF gets one
        assertEquals(base64Sha256("x\r\n"), DkimSigner.bodyHash(bytes("A: X\r\n\r\nx"), 8));
    }

    private static String base64Sha256(String s) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes(s)));
    }

    // --- the signature field

    @Test
    void theSignatureNamesItsKeyAndSignsFromOnceMoreThanItOccurs() {
        String sig = new String(DkimSigner.sign(new byte[0], bytes(MESSAGE), List.of(rsa), NOW), StandardCharsets.US_ASCII);
        String unfolded = sig.replace("\r\n\t", " ");
        assertTrue(unfolded.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa2026;"
                + " t=" + NOW.getEpochSecond() + "; h=from:from:subject:subject:date:date:to:to:message-id:mime-version:"
                + "content-type:list-unsubscribe:list-unsubscribe:list-unsubscribe-post:list-unsubscribe-post; bh="), sig);
        assertTrue(sig.endsWith("\r\n"));
        for (String line : sig.split("\r\n")) {
            assertTrue(line.length() <= 998, "RFC 5322 2.1.1 line length");
        }
    }

    // --- dkimpy agrees

    private static final String MESSAGE = "From: Alice <alice@example.com>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: a folded\r\n subject  with   spaces\r\n"
            + "Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n"
            + "Message-ID: <1@example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "List-Unsubscribe: <https://example.com/u/1>\r\n"
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            + "\r\n"
            + "Hello  Bob,\t \r\n"
            + "caf\u00e9 au lait\r\n"
            + "\r\n"
            + "\r\n";

    @Test
    void dkimpyVerifiesRsaAndEd25519SignaturesOfTheSameMessage() throws Exception {
        byte[] message = bytes(MESSAGE);
        byte[] signed = signed(new byte[0], message, List.of(rsa, ed25519));
        assertEquals(List.of("pass", "pass"), dkimpy(signed));
    }

    @Test
    void headersTheServerAddsAreSignedAlong() throws Exception {
        byte[] head = bytes("Received: from x by y; Sun, 29 Nov 2026 12:00:00 +0000\r\nMessage-ID: <added@example.com>\r\n");
        byte[] message = bytes("From: alice@example.com\r\nTo: bob@example.org\r\nSubject: s\r\n\r\nbody\r\n");
        byte[] signed = signed(head, message, List.of(ed25519), head);
        assertEquals(List.of("pass"), dkimpy(signed));
        assertTrue(new String(signed, StandardCharsets.US_ASCII).contains("message-id"), "the added Message-ID is signed");
    }

    @Test
    void aChangedBodyOrHeaderFailsInDkimpy() throws Exception {
        byte[] signed = signed(new byte[0], bytes(MESSAGE), List.of(rsa, ed25519));
        String text = new String(signed, StandardCharsets.UTF_8);
        assertEquals(List.of("fail", "fail"), dkimpy(bytes(text.replace("Hello  Bob", "Hello Eve"))));
        assertEquals(List.of("fail", "fail"), dkimpy(bytes(text.replace("Subject: a folded", "Subject: a changed"))));
        // relaxed canonicalization forgives re-folding and trailing blank lines
        assertEquals(List.of("pass", "pass"), dkimpy(bytes(text.replace("Hello  Bob,\t \r\n", "Hello Bob,\r\n") + "\r\n")));
        // an added From breaks the signature: From is signed once more than it occurs
        assertEquals(List.of("fail", "fail"), dkimpy(bytes(text.replace("From: Alice", "From: Mallory <m@evil.test>\r\nFrom: Alice"))));
    }

    @Test
    void aKeySurvivesItsPkcs8EncodingWithItsPublicHalf() {
        for (DkimKey key : List.of(rsa, ed25519)) {
            DkimKey again = DkimKey.fromPkcs8(key.domain(), key.selector(), key.algorithm(), key.pkcs8());
            assertEquals(key.record(), again.record());
        }
        assertTrue(ed25519.record().matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}="), ed25519.record());
        assertTrue(rsa.record().startsWith("v=DKIM1; k=rsa; p=MIIBIjAN"), rsa.record());
    }

    private static byte[] signed(byte[] head, byte[] message, List<DkimKey> keys, byte[]... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DkimSigner.sign(head, message, keys, NOW));
        for (byte[] e : extra) {
            out.writeBytes(e);
        }
        out.writeBytes(message);
        return out.toByteArray();
    }

    private List<String> dkimpy(byte[] message) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.write(file, message);
        Map<String, String> records = new LinkedHashMap<>();
        for (DkimKey k : List.of(rsa, ed25519)) {
            records.put(k.recordName(), k.record());
        }
        Path json = dir.resolve("records.json");
        new ObjectMapper().writeValue(json.toFile(), records);
        Path script = Path.of("src/test/resources/mailauth/dkim_verify.py").toAbsolutePath();
        // Debian's python3-dkim lives in the system's Python, which may not be the first python3 on the PATH
        Process p = new ProcessBuilder(SYSTEM_PYTHON, script.toString(), file.toString(), json.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dkimpy did not finish in 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
