package dev.petrel.mailauth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.fuzz.ZoneResolver;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Jazzer fuzz tests of what senders and their DNS publish: DKIM signatures and key records, ARC chains, DMARC
 * records, SPF records and macros. DNS answers come from a zone written in the input ({@link ZoneResolver}). In package
 * {@code dev.petrel.mailauth} because {@link Tags} and {@link SpfMacros} are package-private. {@code bin/test}
 * runs each on its seed inputs (src/test/resources/dev/petrel/mailauth/MailAuthFuzzTestInputs/);
 * {@code bench/fuzz TARGET SECONDS} fuzzes one. Correct means: a result (pass, fail, none, temperror, permerror),
 * never an exception, and the DNS look-up limits of RFC 7208 4.6.4 hold.
 */
class MailAuthFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
    // RFC 7208 4.6.4: 10 terms that look up, 10 names per MX or PTR look-up, A and AAAA for each, plus the records
    private static final int MAX_SPF_QUERIES = 10 * (1 + 2 * 10) + 11;

    /** RFC 6376 3.2 tag=value lists parse or are refused with IllegalArgumentException. */
    @FuzzTest(maxDuration = "60s")
    void tagListsParseOrAreRefused(byte[] input) {
        try {
            Map<String, String> tags = Tags.parse(new String(input, StandardCharsets.UTF_8));
            if (tags.containsKey(null)) {
                throw new AssertionError("a tag without a name");
            }
        } catch (IllegalArgumentException refused) {
            // not a tag list
        }
    }

    /**
     * SPF (RFC 7208) for any records: the input's first lines say {@code client}, {@code sender} and {@code helo},
     * the rest is the zone. check_host ends in a result, within the look-up limits.
     */
    @FuzzTest(maxDuration = "120s")
    void spfChecksOfAnyRecordsEndInAResultWithinTheLookupLimits(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ZoneResolver zone = new ZoneResolver(text);
        InetAddress client = ZoneResolver.address(setting(text, "client", "192.0.2.1"));
        if (client == null) {
            client = ZoneResolver.address("2001:db8::25");
        }
        SpfResult result = new SpfChecker(zone).check(client, setting(text, "sender", "alice@example.com"),
                setting(text, "helo", "mx.example.com"));
        if (result.outcome() == null) {
            throw new AssertionError("no outcome");
        }
        result.resinfo();
        if (zone.queries() > MAX_SPF_QUERIES) {
            throw new AssertionError(zone.queries() + " DNS queries for one SPF check");
        }
    }

    /**
     * RFC 7208 7: a macro string expands or is a permerror. The input's lines: the domain-spec, then optionally
     * the sender, the HELO name, the domain and the client's address.
     */
    @FuzzTest(maxDuration = "120s")
    void spfMacrosExpandOrAreAPermError(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        InetAddress ip = ZoneResolver.address(line(lines, 4, "192.0.2.3"));
        SpfMacros macros = new SpfMacros(ip == null ? ZoneResolver.address("2001:db8::3") : ip,
                line(lines, 1, "strong-bad@email.example.com"), line(lines, 2, "mx.example.org"),
                line(lines, 3, "email.example.com"), d -> "unknown");
        try {
            String name = macros.expandDomain(lines[0]);
            if (name.length() > 253 && name.indexOf('.') >= 0) {
                throw new AssertionError("expanded name of " + name.length() + " octets still has labels to drop");
            }
        } catch (SpfEvaluation.Stop stop) {
            if (stop.outcome != SpfResult.Outcome.PERMERROR) {
                throw new AssertionError("a bad macro is a permerror, not " + stop.outcome);
            }
        }
    }

    /** A fuzz input of the signature targets: the zone, a line with a single ".", then the message. */
    private record Signed(ZoneResolver zone, byte[] message) {
        static Signed of(byte[] input) {
            String text = new String(input, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\n.\n");
            String zoneText = split < 0 ? "" : text.substring(0, split);
            byte[] message = split < 0 ? input : java.util.Arrays.copyOfRange(input, split + 3, input.length);
            return new Signed(new ZoneResolver(zoneText), message);
        }
    }

    /**
     * DKIM verification (RFC 6376 6) of any message against any key records: the zone, a line with a single
     * ".", then the message. One result per DKIM-Signature field, never an exception.
     */
    @FuzzTest(maxDuration = "120s")
    void dkimVerificationOfAnyMessageGivesOneResultPerSignature(byte[] input) {
        Signed in = Signed.of(input);
        byte[] message = in.message();
        List<DkimResult> results = new DkimVerifier(in.zone(), CLOCK).verify(message);
        long signatures = dev.petrel.mail.HeaderSection.read(message).fields().stream()
                .filter(f -> f.lowerName().equals("dkim-signature")).count();
        if (results.size() != signatures) {
            throw new AssertionError(results.size() + " results for " + signatures + " signatures");
        }
        for (DkimResult r : results) {
            r.resinfo();
        }
    }

    private static final DkimKey SEALER = DkimKey.generate(dev.petrel.mail.Domain.parse("fwd.example.com"), "fuzz",
            DkimAlgorithm.ED25519_SHA256, new java.security.SecureRandom());

    /**
     * ARC (RFC 8617) of any message against any key records, laid out as for DKIM: validation ends in none, pass or
     * fail, and sealing in a new set (instance N+1, never past 50) or a reason, never an exception; the sealed
     * message validates without one too.
     */
    @FuzzTest(maxDuration = "120s")
    void arcOfAnyMessageEndsInAResult(byte[] input) {
        Signed in = Signed.of(input);
        byte[] message = in.message();
        ArcVerifier verifier = new ArcVerifier(new DkimVerifier(in.zone(), CLOCK));
        ArcResult found = verifier.verify(message);
        if (found.status() == null || found.resinfo().isEmpty()) {
            throw new AssertionError("no result");
        }
        switch (ArcSealer.seal(message, "mx.example.com", SEALER, CLOCK.instant())) {
            case ArcSealer.Outcome.Sealed s -> {
                if (s.instance() < 1 || s.instance() > ArcChain.MAX_INSTANCE) {
                    throw new AssertionError("sealed as instance " + s.instance());
                }
                byte[] sealed = java.util.Arrays.copyOf(s.fields(), s.fields().length + message.length);
                System.arraycopy(message, 0, sealed, s.fields().length, message.length);
                verifier.verify(sealed).resinfo();
            }
            case ArcSealer.Outcome.Unsealed u -> {
                if (u.reason() == null) {
                    throw new AssertionError("unsealed without a reason");
                }
            }
        }
    }

    /**
     * DMARC (RFC 7489) for any record: the first line names the From domain, the rest is the zone; aligned DKIM
     * and SPF passes for that domain are given. It ends in a result, never an exception.
     */
    @FuzzTest(maxDuration = "60s")
    void dmarcChecksOfAnyRecordEndInAResult(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        String from = text.lines().findFirst().orElse("").strip();
        DmarcChecker checker = new DmarcChecker(new ZoneResolver(text), SUFFIXES, new java.util.Random(5));
        List<DkimResult> dkim = List.of(new DkimResult(DkimResult.Outcome.PASS, "mail." + from, "s1", "abc", null, -1));
        for (SpfResult.Outcome spf : new SpfResult.Outcome[] {SpfResult.Outcome.PASS, SpfResult.Outcome.FAIL}) {
            DmarcResult result = checker.check(from, dkim, new SpfResult(spf, "mailfrom", from, null));
            if (result.outcome() == null) {
                throw new AssertionError("no outcome");
            }
            result.resinfo();
        }
    }

    private static final PublicSuffixList SUFFIXES = PublicSuffixList.bundled();

    private static String setting(String text, String name, String otherwise) {
        for (String line : text.split("\r?\n")) {
            if (line.startsWith(name + " ")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return otherwise;
    }

    private static String line(String[] lines, int i, String otherwise) {
        return i < lines.length ? lines[i] : otherwise;
    }
}
