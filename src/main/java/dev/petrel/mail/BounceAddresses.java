package dev.petrel.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * VERP: the envelope senders of tenant mail, one per message and recipient, on the bounce domain, so that a
 * bounce or complaint sent back to one names the message, the recipient and the tenant's stream without any
 * look-up, and cannot be forged. The local part is {@code b-QUEUEID-INDEX-SCOPE-MAC}: the queue id, the
 * recipient's index in the envelope (base 10; {@code m} in the message's own address, which intake stores), a
 * short keyed hash of the tenant and stream ({@link #scope}), and an HMAC-SHA256 of all three under the
 * server's secret, cut to 50 bits. About 40 octets: under RFC 5321 4.5.3.1.1's 64.
 */
public final class BounceAddresses {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int MAC_CHARS = 10;
    private static final int SCOPE_CHARS = 6;
    private static final String MESSAGE = "m";

    private final Domain domain;
    private final SecretKeySpec key;

    /** @param secret the server's VERP secret (32 random octets kept in the data folder); never logged */
    public BounceAddresses(Domain domain, byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("a VERP secret is at least 16 octets");
        }
        this.domain = domain;
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public Domain domain() {
        return domain;
    }

    /** What a valid bounce address names. {@code recipient} is -1 in the message's own address. */
    public record Verp(QueueId id, int recipient, String scope) {

        public boolean perRecipient() {
            return recipient >= 0;
        }
    }

    /** The address intake stores as the message's envelope sender; delivery derives each recipient's from it. */
    public Address forMessage(QueueId id, SendContext context) {
        return address(id, MESSAGE, scope(context.tenant(), context.stream()));
    }

    /** The envelope sender of one recipient's transaction, from the message's own bounce address. */
    public Address forRecipient(Verp message, int index) {
        return address(message.id(), Integer.toString(index), message.scope());
    }

    /** The short keyed hash of a tenant and stream that bounce addresses carry (a stream may be null). */
    public String scope(String tenant, String stream) {
        return encode(hmac("scope\0" + tenant + "\0" + (stream == null ? "" : stream)), SCOPE_CHARS);
    }

    /** Whether the address is on the bounce domain (valid or not). */
    public boolean isBounceDomain(Address address) {
        return address.domain().equals(domain);
    }

    /** The message and recipient a bounce address names, when it is one of ours with a valid HMAC. */
    public Optional<Verp> verify(Address address) {
        if (!isBounceDomain(address)) {
            return Optional.empty();
        }
        String[] parts = address.localPart().toLowerCase(Locale.ROOT).startsWith("b-")
                ? address.localPart().split("-", -1) : new String[0];
        if (parts.length != 5 || parts[4].length() != MAC_CHARS) {
            return Optional.empty();
        }
        byte[] expected = encode(hmac(signed(parts[1], parts[2], parts[3])), MAC_CHARS).getBytes(StandardCharsets.US_ASCII);
        // compared in constant time: no timing tells a forger how much of a guess was right
        if (!MessageDigest.isEqual(expected, parts[4].toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            int index = parts[2].equals(MESSAGE) ? -1 : Integer.parseInt(parts[2]);
            return Optional.of(new Verp(new QueueId(parts[1]), index, parts[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Address address(QueueId id, String index, String scope) {
        String head = signed(id.value(), index, scope);
        return new Address("b-" + head + "-" + encode(hmac(head), MAC_CHARS), domain);
    }

    private static String signed(String id, String index, String scope) {
        return id + "-" + index + "-" + scope;
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    // base 32 (RFC 4648's alphabet in lower case), the first chars characters
    private static String encode(byte[] bytes, int chars) {
        StringBuilder out = new StringBuilder(chars);
        long buffer = 0;
        int bits = 0;
        for (int i = 0; out.length() < chars && i < bytes.length; i++) {
            buffer = (buffer << 8) | (bytes[i] & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < chars) {
                out.append(ALPHABET.charAt((int) ((buffer >>> (bits - 5)) & 31)));
                bits -= 5;
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "BounceAddresses[" + domain + "]";
    }

}
