package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Domain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARC (RFC 8617) sealing and validation, each checked against dkimpy's: Petrel's seals pass dkimpy's
 * {@code arc_verify}, dkimpy's seals pass Petrel's verifier, chains of both grow to i=2, and broken chains fail as
 * section 5.2 says and are sealed (or not) as section 5.1 says. Keys come from a table, as DNS would give them.
 */
class ArcTest {

    private static final String HOST = "mx.forwarder.test";
    private static final Instant NOW = Instant.now();
    private static DkimKey forwarder;
    private static DkimKey forwarderEd;
    private static DkimKey relay;
    private static final Map<String, String> RECORDS = new HashMap<>();

    @TempDir
    Path dir;

    private final ArcVerifier verifier = new ArcVerifier(new DkimVerifier(TxtTable.ofTexts(RECORDS),
            Clock.fixed(NOW, ZoneOffset.UTC)));

    @BeforeAll
    static void keys() {
        SecureRandom random = new SecureRandom();
        forwarder = DkimKey.generate(Domain.parse("forwarder.test"), "arc1", DkimAlgorithm.RSA_SHA256, random);
        forwarderEd = DkimKey.generate(Domain.parse("forwarder.test"), "arced", DkimAlgorithm.ED25519_SHA256, random);
        relay = DkimKey.generate(Domain.parse("relay.test"), "r1", DkimAlgorithm.RSA_SHA256, random);
        for (DkimKey k : List.of(forwarder, forwarderEd, relay)) {
            RECORDS.put(k.recordName(), k.record());
        }
    }

    private static final String MESSAGE = "From: Alice <alice@origin.test>\r\nTo: list@forwarder.test\r\n"
            + "Subject: forwarded  along\r\nDate: Sun, 1 Nov 2026 12:00:00 +0000\r\n\r\nHello,  world\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // our own results on top, as intake writes them on arrival
    private static byte[] arrived(String arc, byte[] message) {
        String results = "Authentication-Results: " + HOST + ";\r\n\tspf=pass smtp.mailfrom=origin.test;\r\n\tdkim=none"
                + (arc == null ? "" : ";\r\n\t" + arc) + "\r\n";
        return concat(bytes(results), message);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sealed(byte[] message, DkimKey key) {
        ArcSealer.Outcome.Sealed s = assertInstanceOf(ArcSealer.Outcome.Sealed.class,
                ArcSealer.seal(message, HOST, key, NOW));
        return concat(s.fields(), message);
    }

    // a message with dkimpy's first set, as relay.test would have sent it, arrived here
    private byte[] dkimpyChain() throws Exception {
        byte[] atRelay = concat(bytes("Authentication-Results: relay.test; spf=pass smtp.mailfrom=origin.test\r\n"),
                bytes(MESSAGE));
        return Dkimpy.arcSign(dir, atRelay, relay, "relay.test");
    }

    @Test
    void aFirstSealByPetrelPassesDkimpyAndPetrel() throws Exception {
        byte[] message = sealed(arrived("arc=none", bytes(MESSAGE)), forwarder);
        assertTrue(text(message).startsWith("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=forwarder.test; s=arc1;"),
                text(message));
        assertTrue(text(message).contains("ARC-Authentication-Results: i=1; " + HOST + ";\r\n\tspf=pass"),
                text(message));
        assertEquals(List.of("cv=pass", "i=1 ams=True as=True"), Dkimpy.arcVerify(dir, message, RECORDS, null));
        assertEquals(new ArcResult(ArcResult.Status.PASS, 1, 0, null), verifier.verify(message));
    }

    @Test
    void anEd25519SealPassesPetrel() {
        // dkimpy 1.1 knows no ed25519-sha256 in ARC ("unknown signature algorithm"): the README says to give
        // forwarding domains an RSA key, which is preferred when a domain has both
        byte[] message = sealed(arrived(null, bytes(MESSAGE)), forwarderEd);
        assertTrue(text(message).startsWith("ARC-Seal: i=1; cv=none; a=ed25519-sha256;"), text(message));
        assertEquals(new ArcResult(ArcResult.Status.PASS, 1, 0, null), verifier.verify(message));
        byte[] tampered = bytes(text(message).replace("forwarded  along", "forwarded along!"));
        assertEquals("ARC-Message-Signature i=1: signature did not verify", verifier.verify(tampered).reason());
    }

    @Test
    void dkimpysChainPassesAndATamperedOneFails() throws Exception {
        byte[] chain = dkimpyChain();
        ArcResult result = verifier.verify(chain);
        assertEquals(new ArcResult(ArcResult.Status.PASS, 1, 0, null), result);
        assertEquals("arc=pass (i=1)", result.resinfo());
        byte[] tampered = bytes(text(chain).replace("Hello,  world", "Hello, wire the money"));
        ArcResult failed = verifier.verify(tampered);
        assertEquals(ArcResult.Status.FAIL, failed.status());
        assertEquals("ARC-Message-Signature i=1: body hash did not verify", failed.reason());
        assertTrue(failed.resinfo().startsWith("arc=fail (ARC-Message-Signature i=1"), failed.resinfo());
        // a seal changed after the fact
        byte[] reSealed = bytes(text(chain).replaceFirst("ARC-Seal: i=1; cv=none", "ARC-Seal: i=1;\r\n\t cv=none"));
        assertEquals(ArcResult.Status.PASS, verifier.verify(reSealed).status(), "relaxed: white space is no change");
        byte[] forgedSeal = bytes(text(chain).replaceFirst("d=relay\\.test; s=r1", "d=relay.test; s=r1; t=1")
                .replaceFirst("(ARC-Seal: [^\\r]*)s=r1;", "$1s=r1;"));
        assertEquals(ArcResult.Status.FAIL, verifier.verify(forgedSeal).status());
    }

    @Test
    void petrelAddsInstanceTwoToDkimpysChainAndDkimpyPassesTheWhole() throws Exception {
        byte[] chain = dkimpyChain();
        ArcResult found = verifier.verify(chain);
        byte[] message = sealed(arrived(found.resinfo(), chain), forwarder);
        assertTrue(text(message).startsWith("ARC-Seal: i=2; cv=pass;"), text(message));
        assertEquals(List.of("cv=pass", "i=2 ams=True as=True", "i=1 ams=True as=True"),
                Dkimpy.arcVerify(dir, message, RECORDS, null));
        assertEquals(new ArcResult(ArcResult.Status.PASS, 2, 0, null), verifier.verify(message));
    }

    @Test
    void aBodyChangedAfterTheFirstSealLeavesTheChainPassingWithOldestPassTwo() throws Exception {
        byte[] changed = bytes(text(dkimpyChain()).replace("Hello,  world\r\n", "Hello,  world\r\n-- \r\nfooter\r\n"));
        byte[] message = sealed(arrived("arc=pass", changed), forwarder);
        ArcResult result = verifier.verify(message);
        assertEquals(new ArcResult(ArcResult.Status.PASS, 2, 2, null), result);
        assertEquals("arc=pass (i=2) header.oldest-pass=2", result.resinfo());
        assertEquals(List.of("cv=pass", "i=2 ams=True as=True", "i=1 ams=False as=True"),
                Dkimpy.arcVerify(dir, message, RECORDS, null));
    }

    @Test
    void aFailedChainIsSealedOverItsOwnSetOnlyAndNeverSealedAgain() throws Exception {
        byte[] tampered = bytes(text(dkimpyChain()).replace("Hello,  world", "Hello, changed"));
        ArcResult found = verifier.verify(tampered);
        assertEquals(ArcResult.Status.FAIL, found.status());
        // RFC 8617 5.1.2: cv=fail, the seal covering the new set alone
        ArcSealer.Outcome.Sealed s = assertInstanceOf(ArcSealer.Outcome.Sealed.class,
                ArcSealer.seal(arrived(found.resinfo(), tampered), HOST, forwarder, NOW));
        assertEquals(2, s.instance());
        assertEquals(ArcResult.Status.FAIL, s.cv());
        byte[] message = concat(s.fields(), arrived(found.resinfo(), tampered));
        ArcChain chain = ArcChain.read(dev.petrel.mail.HeaderSection.read(message));
        // what the seal of 2 signs when it covers the chain, less the sets before its own
        String own = text(chain.sealInput(2));
        byte[] ownSet = bytes(own.substring(own.indexOf("arc-authentication-results:i=2")));
        assertEquals(DkimResult.Outcome.PASS, new DkimVerifier(TxtTable.ofTexts(RECORDS), Clock.systemUTC())
                .verifySeal(chain.set(2).sealTags(), ownSet).outcome());
        // RFC 8617 5.2 step 2: the newest seal says fail, so the chain fails; dkimpy calls it ended
        assertEquals("ARC-Seal i=2 says cv=fail", verifier.verify(message).reason());
        assertEquals("cv=ended", Dkimpy.arcVerify(dir, message, RECORDS, null).getFirst());
        // RFC 8617 5.1 step 1: nothing is added after a cv=fail seal
        assertEquals(new ArcSealer.Outcome.Unsealed("the chain was failed by an earlier sealer"),
                ArcSealer.seal(arrived("arc=fail", message), HOST, forwarder, NOW));
    }

    @Test
    void chainsThatAreNoChainsFail() throws Exception {
        String chain = text(dkimpyChain());
        String seal = chain.substring(0, chain.indexOf("ARC-Message-Signature:"));
        // RFC 8617 5.2 step 3: one field of each kind per set, instances 1..N, cv=none at 1
        assertEquals("two ARC-Seal fields of instance 1", verifier.verify(bytes(seal + chain)).reason());
        assertEquals("ARC instance 1 is missing", verifier.verify(bytes(chain.replace("i=1", "i=2"))).reason());
        assertEquals("ARC set 1 is incomplete", verifier.verify(bytes(chain.substring(seal.length()))).reason());
        assertEquals("ARC-Seal i=1 says cv=pass, not none",
                verifier.verify(bytes(chain.replace("cv=none", "cv=pass"))).reason());
        assertEquals("an ARC field has no usable instance (i=1 to 50)",
                verifier.verify(bytes("ARC-Seal: i=51; cv=pass; a=rsa-sha256; d=x.test; s=s; b=AA==\r\n" + chain))
                        .reason());
        assertEquals(new ArcResult(ArcResult.Status.NONE, 0, 0, null), verifier.verify(bytes(MESSAGE)));
    }

    @Test
    void sealingStopsWhereTheRfcSaysItMust() throws Exception {
        // RFC 8617 4.2.1: fifty sets at most
        String fiftieth = "ARC-Seal: i=50; cv=pass; a=rsa-sha256; d=x.test; s=s; b=AA==\r\n"
                + "ARC-Message-Signature: i=50; a=rsa-sha256; d=x.test; s=s; h=from; bh=AA==; b=AA==\r\n"
                + "ARC-Authentication-Results: i=50; x.test; arc=pass\r\n";
        assertEquals(new ArcSealer.Outcome.Unsealed("the chain has 50 sets already"),
                ArcSealer.seal(arrived("arc=pass", bytes(fiftieth + MESSAGE)), HOST, forwarder, NOW));
        // nothing to carry: the message did not arrive through our checks
        assertEquals(new ArcSealer.Outcome.Unsealed("no Authentication-Results of " + HOST + " to carry"),
                ArcSealer.seal(bytes(MESSAGE), HOST, forwarder, NOW));
        // a chain whose status was not recorded on arrival is not vouched for
        assertEquals(new ArcSealer.Outcome.Unsealed("no arc result for the chain in " + HOST
                + "'s Authentication-Results"), ArcSealer.seal(arrived(null, dkimpyChain()), HOST, forwarder, NOW));
        // fields that make no chain: a seal that says so, over its own set
        byte[] lone = bytes("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=x.test; s=s; b=AA==\r\n" + MESSAGE);
        ArcSealer.Outcome.Sealed broken = assertInstanceOf(ArcSealer.Outcome.Sealed.class,
                ArcSealer.seal(arrived(null, lone), HOST, forwarder, NOW));
        assertEquals(ArcResult.Status.FAIL, broken.cv());
        assertEquals(forwarder, ArcSealer.keyOf(List.of(forwarderEd, forwarder)).orElseThrow());
        assertEquals(forwarderEd, ArcSealer.keyOf(List.of(forwarderEd)).orElseThrow());
    }
}
