package dev.petrel.mailauth;

import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Signs messages with DKIM (RFC 6376; Ed25519 as RFC 8463 says): relaxed/relaxed canonicalization, the body
 * hashed where it lies (no copy), the recommended header fields signed when present and From signed once more
 * than it occurs, so that no From can be added later (RFC 6376 8.15). One signature per key, the first one on top.
 */
public final class DkimSigner {

    /** RFC 6376 5.4.1's recommended fields, and the ones later RFCs added (RFC 8058 List-Unsubscribe-Post). */
    static final List<String> SIGNED = List.of("from", "reply-to", "subject", "date", "to", "cc", "message-id",
            "mime-version", "content-type", "content-transfer-encoding", "in-reply-to", "references",
            "list-id", "list-unsubscribe", "list-unsubscribe-post", "sender", "feedback-id");

    // signed once more than they occur: a second one added later breaks the signature
    private static final Set<String> OVERSIGNED = Set.of("from", "subject", "to", "cc", "date", "list-unsubscribe",
            "list-unsubscribe-post");

    private static final int FOLD_AT = 72;

    private DkimSigner() {}

    /**
     * The DKIM-Signature fields to put on top of the message whose header section is {@code head} (fields the
     * server adds, with CRLF line ends) followed by {@code message} (the message as received), signed with each
     * key, with {@code t=} at {@code now}.
     */
    public static byte[] sign(byte[] head, byte[] message, List<DkimKey> keys, Instant now) {
        HeaderSection section = HeaderSection.read(message);
        List<HeaderField> fields = new ArrayList<>(HeaderSection.read(head).fields());
        fields.addAll(section.fields());
        String bodyHash = bodyHash(message, section.bodyStart());
        StringBuilder out = new StringBuilder();
        for (DkimKey key : keys) {
            out.append(signature(fields, bodyHash, key, now));
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String bodyHash(byte[] message, int bodyStart) {
        MessageDigest sha256 = sha256();
        Canonical.relaxedBody(message, bodyStart, sha256);
        return Base64.getEncoder().encodeToString(sha256.digest());
    }

    private static String signature(List<HeaderField> fields, String bodyHash, DkimKey key, Instant now) {
        StringBuilder signed = new StringBuilder();
        List<String> names = selected(fields, signed);
        String unsigned = "DKIM-Signature: v=1; a=" + key.algorithm().tag() + "; c=relaxed/relaxed; d="
                + key.domain().name() + "; s=" + key.selector() + "; t=" + now.getEpochSecond() + ";\r\n\th="
                + String.join(":", names) + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
        return completed(unsigned, signed, key);
    }

    /**
     * The names for h= of the recommended fields present in {@code fields}, their relaxed forms appended to
     * {@code signed} in that order (RFC 6376 5.4.2: instances are taken from the bottom up).
     */
    static List<String> selected(List<HeaderField> fields, StringBuilder signed) {
        List<String> names = new ArrayList<>();
        for (String name : SIGNED) {
            List<HeaderField> present = fields.stream().filter(f -> f.lowerName().equals(name)).toList();
            for (int i = present.size() - 1; i >= 0; i--) {
                names.add(name);
                signed.append(Canonical.relaxedHeader(present.get(i)));
            }
            if (OVERSIGNED.contains(name) && (!present.isEmpty() || name.equals("from"))) {
                // a name with no instance left signs the null string (RFC 6376 5.4.2)
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The field {@code unsigned} (which ends in "b=") with its signature: over {@code signed} and then the field
     * itself, relaxed, without its final CRLF (RFC 6376 3.7; RFC 8617 5.1.1 for the ARC fields); with a CRLF.
     */
    static String completed(String unsigned, StringBuilder signed, DkimKey key) {
        String name = unsigned.substring(0, unsigned.indexOf(':'));
        String own = Canonical.relaxedHeader(new HeaderField(name, unsigned.getBytes(StandardCharsets.US_ASCII)));
        signed.append(own, 0, own.length() - 2);
        byte[] b = sign(key, signed.toString().getBytes(StandardCharsets.UTF_8));
        return unsigned + fold(Base64.getEncoder().encodeToString(b)) + "\r\n";
    }

    // RFC 8463 3: Ed25519 signs the SHA-256 hash of the data; RSA (RFC 6376 3.3.1) signs the data with SHA-256
    private static byte[] sign(DkimKey key, byte[] data) {
        if (key.algorithm() == DkimAlgorithm.ED25519_SHA256) {
            // Bouncy Castle's Ed25519 is an order of magnitude faster than the JDK's
            return Ed25519Keys.sign(key.privateKey(), sha256().digest(data));
        }
        try {
            Signature s = Signature.getInstance(key.algorithm().jcaSignature());
            s.initSign(key.privateKey());
            s.update(key.algorithm() == DkimAlgorithm.ED25519_SHA256 ? sha256().digest(data) : data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + key, e);
        }
    }

    private static String fold(String b64) {
        StringBuilder out = new StringBuilder(b64.length() + b64.length() / FOLD_AT * 3);
        for (int i = 0; i < b64.length(); i += FOLD_AT) {
            if (i > 0) {
                out.append("\r\n\t ");
            }
            out.append(b64, i, Math.min(b64.length(), i + FOLD_AT));
        }
        return out.toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
