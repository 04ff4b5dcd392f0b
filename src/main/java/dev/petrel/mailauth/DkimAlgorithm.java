package dev.petrel.mailauth;

import java.util.Locale;

/** The DKIM signing algorithms Petrel uses: RFC 6376's rsa-sha256 and RFC 8463's ed25519-sha256. */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "RSA", "SHA256withRSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519", "Ed25519");

    private final String tag;
    private final String keyType;
    private final String jcaKey;
    private final String jcaSignature;

    DkimAlgorithm(String tag, String keyType, String jcaKey, String jcaSignature) {
        this.tag = tag;
        this.keyType = keyType;
        this.jcaKey = jcaKey;
        this.jcaSignature = jcaSignature;
    }

    /** The a= tag value. */
    public String tag() {
        return tag;
    }

    /** The k= tag value of the key record, and the name {@code petrel dkim keygen --algorithm} takes. */
    public String keyType() {
        return keyType;
    }

    String jcaKey() {
        return jcaKey;
    }

    String jcaSignature() {
        return jcaSignature;
    }

    /** By key type ("rsa", "ed25519"). */
    public static DkimAlgorithm ofKeyType(String name) {
        for (DkimAlgorithm a : values()) {
            if (a.keyType.equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown DKIM key type: " + name + " (rsa or ed25519)");
    }
}
