package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and reads the tokens of unsubscribe links: the {@link UnsubscribeToken}'s fields and a truncated
 * HMAC-SHA256 under the server's secret, in URL-safe base64 without padding (RFC 4648 5). Nothing is stored per
 * message: a link is good while its MAC checks and it is younger than its validity; CASL (section 11(3))
 * asks that an unsubscribe mechanism work for at least 60 days after the message is sent.
 */
public final class UnsubscribeTokens {

    private static final byte VERSION = 1;
    // 128 bits of the MAC: forging one is a 2^-128 guess per try
    private static final int MAC_LENGTH = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;
    private final Period validity;

    /** A year's tokens. */
    public UnsubscribeTokens(byte[] secret, Clock clock) {
        this(secret, clock, Duration.ofDays(365));
    }

    /**
     * @param secret at least 32 random octets (see {@link UnsubscribeSecret})
     * @param validity how long after sending a token is good, in whole days ({@code [http] unsubscribe_validity})
     */
    public UnsubscribeTokens(byte[] secret, Clock clock, Duration validity) {
        this.validity = Period.ofDays((int) validity.toDays());
        if (secret.length < 32) {
            throw new IllegalArgumentException("an unsubscribe secret has at least 32 octets");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.clock = clock;
    }

    /** The token of a link for this recipient of this message, sent today. */
    public String issue(TenantId tenant, String stream, Address recipient, String messageId) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        byte[] payload = payload(new UnsubscribeToken(tenant, stream, recipient, messageId, today));
        byte[] out = Arrays.copyOf(payload, payload.length + MAC_LENGTH);
        System.arraycopy(mac(payload), 0, out, payload.length, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** What the token names; empty when it is not one of ours (forged, damaged) or has expired. */
    public Optional<UnsubscribeToken> read(String token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // one spelling per token: unused low bits of the last character set otherwise would make another
        if (raw.length <= MAC_LENGTH + 1 || raw[0] != VERSION
                || !Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(token)) {
            return Optional.empty();
        }
        byte[] payload = Arrays.copyOf(raw, raw.length - MAC_LENGTH);
        byte[] presented = Arrays.copyOfRange(raw, raw.length - MAC_LENGTH, raw.length);
        // compared in constant time: the time taken says nothing of how much of a guess was right
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(payload), MAC_LENGTH), presented)) {
            return Optional.empty();
        }
        return parse(payload).filter(this::current);
    }

    private boolean current(UnsubscribeToken t) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return !today.isAfter(t.issued().plus(validity));
    }

    private static byte[] payload(UnsubscribeToken t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt((int) t.issued().toEpochDay());
            out.writeUTF(t.tenant().name());
            out.writeUTF(t.stream());
            out.writeUTF(t.messageId());
            out.writeUTF(t.recipient().toString());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory does not fail", e);
        }
        return bytes.toByteArray();
    }

    // a payload that passed its MAC was made here, so it parses; anything else is not a token
    private static Optional<UnsubscribeToken> parse(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            in.readByte();
            LocalDate issued = LocalDate.ofEpochDay(in.readInt());
            TenantId tenant = TenantId.parse(in.readUTF());
            String stream = in.readUTF();
            String id = in.readUTF();
            Address recipient = Address.of(in.readUTF());
            return Optional.of(new UnsubscribeToken(tenant, stream, recipient, id, issued));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }
}
