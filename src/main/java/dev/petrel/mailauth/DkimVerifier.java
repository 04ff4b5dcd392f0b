package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 6; Ed25519 per RFC 8463), with keys from DNS TXT records.
 * Each signature gets its own result; nothing here decides what to do with the message.
 */
public final class DkimVerifier {

    // RFC 8301 3.2: RSA keys under 1024 bits are not accepted
    private static final int MIN_RSA_BITS = 1024;
    // RFC 6376 3.5: the b= tag's value, and the white space around it, is left out of what was signed
    private static final Pattern B_VALUE = Pattern.compile("(^|;)(\\s*b\\s*=)[^;]*", Pattern.DOTALL);
    private static final int B_PREFIX = 8;

    private final Resolver resolver;
    private final Clock clock;

    public DkimVerifier(Resolver resolver, Clock clock) {
        this.resolver = resolver;
        this.clock = clock;
    }

    /** One result per DKIM-Signature field, top first; none when the message is not signed. */
    public List<DkimResult> verify(byte[] message) {
        HeaderSection section = HeaderSection.read(message);
        List<DkimResult> out = new ArrayList<>();
        for (HeaderField f : section.fields()) {
            if (f.lowerName().equals("dkim-signature")) {
                out.add(verifyOne(f, section, message));
            }
        }
        return out;
    }

    /** A signature that cannot be checked: its outcome and why. */
    static final class Refusal extends Exception {
        final DkimResult.Outcome outcome;

        Refusal(DkimResult.Outcome outcome, String reason) {
            super(reason, null, false, false);
            this.outcome = outcome;
        }
    }

    private DkimResult verifyOne(HeaderField field, HeaderSection section, byte[] message) {
        Map<String, String> tags;
        try {
            tags = Tags.parse(field.value());
        } catch (IllegalArgumentException e) {
            return new DkimResult(DkimResult.Outcome.PERMERROR, null, null, null, e.getMessage(), -1);
        }
        return verifyOne(field, tags, section, message);
    }

    /**
     * RFC 8617 4.1.2: an ARC-Message-Signature is checked as a DKIM-Signature is, but has no v= tag and its i= is
     * the instance; it must not sign an ARC-Seal.
     */
    DkimResult verifyMessageSignature(HeaderField ams, HeaderSection section, byte[] message) {
        Map<String, String> tags;
        try {
            tags = Tags.parse(ams.value());
        } catch (IllegalArgumentException e) {
            return new DkimResult(DkimResult.Outcome.PERMERROR, null, null, null, e.getMessage(), -1);
        }
        if (List.of(tags.getOrDefault("h", "").toLowerCase(Locale.ROOT).split("\\s*:\\s*")).contains("arc-seal")) {
            return new DkimResult(DkimResult.Outcome.PERMERROR, tags.get("d"), tags.get("s"), null,
                    "ARC-Seal is signed", -1);
        }
        tags.remove("i");
        tags.put("v", "1");
        return verifyOne(ams, tags, section, message);
    }

    /** RFC 8617 5.1.1: an ARC-Seal's b= over {@code data} (the chain it signs), with the key its d= and s= name. */
    DkimResult verifySeal(Map<String, String> tags, byte[] data) {
        String d = tags.get("d");
        String s = tags.get("s");
        try {
            for (String required : List.of("a", "b", "d", "s")) {
                if (!tags.containsKey(required)) {
                    throw new Refusal(DkimResult.Outcome.PERMERROR, "missing tag " + required);
                }
            }
            DkimAlgorithm algorithm = Signed.algorithm(tags.get("a"));
            PublicKey key = key(s, d.toLowerCase(Locale.ROOT), algorithm);
            if (!verifies(algorithm, key, data, Signed.base64(tags.get("b")))) {
                throw new Refusal(DkimResult.Outcome.FAIL, "seal did not verify");
            }
            return new DkimResult(DkimResult.Outcome.PASS, d, s, null, null, -1);
        } catch (Refusal r) {
            return new DkimResult(r.outcome, d, s, null, r.getMessage(), -1);
        }
    }

    private DkimResult verifyOne(HeaderField field, Map<String, String> tags, HeaderSection section, byte[] message) {
        String d = tags.get("d");
        String s = tags.get("s");
        String b = tags.getOrDefault("b", "").replaceAll("\\s", "");
        String bShort = b.isEmpty() ? null : b.substring(0, Math.min(B_PREFIX, b.length()));
        long l = -1;
        try {
            Signed signed = Signed.of(tags, clock.instant().getEpochSecond());
            l = signed.length();
            PublicKey key = key(signed.selector(), signed.domain(), signed.algorithm());
            checkBody(signed, section, message);
            checkHeaders(signed, field, section, key);
            return new DkimResult(DkimResult.Outcome.PASS, d, s, bShort, null, l);
        } catch (Refusal r) {
            return new DkimResult(r.outcome, d, s, bShort, r.getMessage(), l);
        }
    }

    /** The tags of a signature, checked (RFC 6376 3.5, 6.1.1). */
    private record Signed(DkimAlgorithm algorithm, String domain, String selector, byte[] b, byte[] bh,
                          List<String> headers, boolean relaxedHeaders, boolean relaxedBody, long length) {

        static Signed of(Map<String, String> t, long now) throws Refusal {
            for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
                if (!t.containsKey(required)) {
                    throw new Refusal(DkimResult.Outcome.PERMERROR, "missing tag " + required);
                }
            }
            if (!t.get("v").equals("1")) {
                throw new Refusal(DkimResult.Outcome.PERMERROR, "unknown version " + t.get("v"));
            }
            DkimAlgorithm algorithm = algorithm(t.get("a"));
            List<String> headers = new ArrayList<>();
            for (String h : t.get("h").split(":")) {
                headers.add(h.strip().toLowerCase(Locale.ROOT));
            }
            if (!headers.contains("from")) {
                throw new Refusal(DkimResult.Outcome.PERMERROR, "From is not signed");
            }
            String domain = t.get("d").toLowerCase(Locale.ROOT);
            String i = t.get("i");
            if (i != null) {
                String iDomain = i.substring(i.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
                if (!iDomain.equals(domain) && !iDomain.endsWith("." + domain)) {
                    throw new Refusal(DkimResult.Outcome.PERMERROR, "i= is not in the d= domain");
                }
            }
            String x = t.get("x");
            if (x != null && number("x", x, 12) < now) {
                throw new Refusal(DkimResult.Outcome.PERMERROR, "signature expired");
            }
            String[] c = t.getOrDefault("c", "simple/simple").toLowerCase(Locale.ROOT).split("/", 2);
            boolean relaxedHeaders = canonicalization(c[0]);
            boolean relaxedBody = c.length > 1 && canonicalization(c[1]);
            long length = t.containsKey("l") ? number("l", t.get("l"), 76) : -1;
            return new Signed(algorithm, domain, t.get("s"), base64(t.get("b")), base64(t.get("bh")), headers,
                    relaxedHeaders, relaxedBody, length);
        }

        static DkimAlgorithm algorithm(String a) throws Refusal {
            return switch (a.toLowerCase(Locale.ROOT)) {
                case "rsa-sha256" -> DkimAlgorithm.RSA_SHA256;
                case "ed25519-sha256" -> DkimAlgorithm.ED25519_SHA256;
                // RFC 8301 3.1: rsa-sha1 must not be used, nor accepted
                default -> throw new Refusal(DkimResult.Outcome.PERMERROR, "algorithm " + a + " not accepted");
            };
        }

        // RFC 6376 3.5: x= is 1*12DIGIT, l= is 1*76DIGIT; a number past long is larger than any body or time
        private static long number(String tag, String value, int maxDigits) throws Refusal {
            String v = value.strip();
            if (v.isEmpty() || v.length() > maxDigits || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new Refusal(DkimResult.Outcome.PERMERROR, "bad " + tag + "= value");
            }
            return v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
        }

        private static boolean canonicalization(String name) throws Refusal {
            return switch (name) {
                case "simple" -> false;
                case "relaxed" -> true;
                default -> throw new Refusal(DkimResult.Outcome.PERMERROR, "unknown canonicalization " + name);
            };
        }

        static byte[] base64(String value) throws Refusal {
            try {
                return Base64.getDecoder().decode(value.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new Refusal(DkimResult.Outcome.PERMERROR, "bad base64");
            }
        }
    }

    // RFC 6376 6.1.2 and 3.6.2: the key record at selector._domainkey.domain
    private PublicKey key(String selector, String domain, DkimAlgorithm algorithm) throws Refusal {
        String name = selector + "._domainkey." + domain;
        List<String> records = switch (resolver.lookupTxt(name)) {
            case Lookup.Found<String> found -> found.records();
            case Lookup.TemporaryFailure<String> failure ->
                    throw new Refusal(DkimResult.Outcome.TEMPERROR, "key lookup failed: " + failure.reason());
            default -> throw new Refusal(DkimResult.Outcome.PERMERROR, "no key for signature");
        };
        Refusal last = new Refusal(DkimResult.Outcome.PERMERROR, "no usable key record");
        for (String record : records) {
            try {
                return parseKey(record, algorithm);
            } catch (Refusal r) {
                last = r;
            }
        }
        throw last;
    }

    private static PublicKey parseKey(String record, DkimAlgorithm algorithm) throws Refusal {
        Map<String, String> t;
        try {
            t = Tags.parse(record);
        } catch (IllegalArgumentException e) {
            throw new Refusal(DkimResult.Outcome.PERMERROR, "bad key record: " + e.getMessage());
        }
        if (t.containsKey("v") && !t.get("v").equals("DKIM1")) {
            throw new Refusal(DkimResult.Outcome.PERMERROR, "bad key record version");
        }
        if (!t.getOrDefault("k", "rsa").equalsIgnoreCase(algorithm.keyType())) {
            throw new Refusal(DkimResult.Outcome.PERMERROR, "key type does not match the algorithm");
        }
        String p = t.getOrDefault("p", "").replaceAll("\\s", "");
        if (p.isEmpty()) {
            throw new Refusal(DkimResult.Outcome.PERMERROR, "key revoked");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(p);
            if (algorithm == DkimAlgorithm.ED25519_SHA256) {
                return Ed25519Keys.fromRaw(bytes);
            }
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(bytes));
            if (((RSAPublicKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
                throw new Refusal(DkimResult.Outcome.PERMERROR, "RSA key shorter than 1024 bits");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new Refusal(DkimResult.Outcome.PERMERROR, "bad public key");
        }
    }

    private static void checkBody(Signed signed, HeaderSection section, byte[] message) throws Refusal {
        MessageDigest sha256 = DkimSigner.sha256();
        long[] total = {0};
        long limit = signed.length();
        Canonical.Sink sink = (bytes, offset, length) -> {
            // RFC 6376 3.4.5: with l=, only that many canonical octets count
            int take = limit < 0 ? length : (int) Math.max(0, Math.min(length, limit - total[0]));
            sha256.update(bytes, offset, take);
            total[0] += length;
        };
        if (signed.relaxedBody()) {
            Canonical.relaxedBody(message, section.bodyStart(), sink);
        } else {
            Canonical.simpleBody(message, section.bodyStart(), sink);
        }
        if (limit > total[0]) {
            throw new Refusal(DkimResult.Outcome.PERMERROR, "l= is longer than the body");
        }
        if (!MessageDigest.isEqual(sha256.digest(), signed.bh())) {
            throw new Refusal(DkimResult.Outcome.FAIL, "body hash did not verify");
        }
    }

    private static void checkHeaders(Signed signed, HeaderField own, HeaderSection section, PublicKey key)
            throws Refusal {
        StringBuilder data = new StringBuilder();
        Map<String, Integer> used = new HashMap<>();
        for (String name : signed.headers()) {
            // RFC 6376 5.4.2: each name takes the next instance from the bottom; none left signs nothing
            List<HeaderField> instances = section.fields().stream().filter(f -> f.lowerName().equals(name)).toList();
            int n = used.merge(name, 1, Integer::sum);
            if (n <= instances.size()) {
                HeaderField f = instances.get(instances.size() - n);
                data.append(signed.relaxedHeaders() ? Canonical.relaxedHeader(f) : Canonical.simpleHeader(f));
            }
        }
        HeaderField stripped = withoutB(own);
        String canonical = signed.relaxedHeaders() ? Canonical.relaxedHeader(stripped) : Canonical.simpleHeader(stripped);
        data.append(canonical, 0, canonical.length() - 2);
        if (!verifies(signed.algorithm(), key, data.toString().getBytes(StandardCharsets.UTF_8), signed.b())) {
            throw new Refusal(DkimResult.Outcome.FAIL, "signature did not verify");
        }
    }

    /** RFC 6376 3.5: the field with its b= tag's value, and the white space around it, left out. */
    static HeaderField withoutB(HeaderField field) {
        String raw = new String(field.raw(), StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        String withoutB = raw.substring(0, colon + 1) + B_VALUE.matcher(raw.substring(colon + 1)).replaceFirst("$1$2");
        return new HeaderField(field.name(), withoutB.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean verifies(DkimAlgorithm algorithm, PublicKey key, byte[] data, byte[] b) {
        try {
            if (algorithm == DkimAlgorithm.ED25519_SHA256) {
                return Ed25519Keys.verify(key, DkimSigner.sha256().digest(data), b);
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(data);
            return s.verify(b);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
