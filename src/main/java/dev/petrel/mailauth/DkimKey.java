package dev.petrel.mailauth;

import dev.petrel.mail.Domain;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A DKIM private key of one domain and selector, and the public key record to publish for it at
 * {@code selector._domainkey.domain} (RFC 6376 3.6.1).
 */
public record DkimKey(Domain domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey,
                      PublicKey publicKey) {

    /** RSA keys are 2048 bits by default: what RFC 8301 asks verifiers to accept at least 1024 of, and Gmail expects. */
    public static final int RSA_BITS = 2048;

    public DkimKey {
        if (!selector.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            throw new IllegalArgumentException("a selector is one or more DNS labels: " + selector);
        }
    }

    /** A new key pair. */
    public static DkimKey generate(Domain domain, String selector, DkimAlgorithm algorithm, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.jcaKey());
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                g.initialize(RSA_BITS, random);
            } else {
                g.initialize(255, random);
            }
            KeyPair pair = g.generateKeyPair();
            return new DkimKey(domain, selector, algorithm, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make " + algorithm.jcaKey() + " keys", e);
        }
    }

    /** A key from its PKCS#8 encoding, as stored; the public half is derived from it. */
    public static DkimKey fromPkcs8(Domain domain, String selector, DkimAlgorithm algorithm, byte[] pkcs8) {
        try {
            KeyFactory f = KeyFactory.getInstance(algorithm.jcaKey());
            PrivateKey key = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new DkimKey(domain, selector, algorithm, key, publicOf(f, key));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + algorithm.keyType() + " private key in PKCS#8", e);
        }
    }

    private static PublicKey publicOf(KeyFactory f, PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return f.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        // an Ed25519 PKCS#8 key as the JDK writes it (RFC 8410 OneAsymmetricKey v2) carries its public key
        return Ed25519Keys.publicOf(key);
    }

    public byte[] pkcs8() {
        return privateKey.getEncoded();
    }

    /** Where the key record lives. */
    public String recordName() {
        return selector + "._domainkey." + domain.name();
    }

    /**
     * The TXT record (RFC 6376 3.6.1): for RSA the SubjectPublicKeyInfo, for Ed25519 the bare 32-octet key
     * (RFC 8463 4).
     */
    public String record() {
        byte[] p = algorithm == DkimAlgorithm.RSA_SHA256 ? publicKey.getEncoded() : Ed25519Keys.raw(publicKey);
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /** The record as TXT character-strings: at most 255 octets each (RFC 1035 3.3.14), read back joined. */
    public java.util.List<String> recordStrings() {
        String record = record();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < record.length(); i += 255) {
            out.add(record.substring(i, Math.min(record.length(), i + 255)));
        }
        return out;
    }

    /** True when the TXT record publishes this key: its p= is this public key (RFC 6376 3.6.1). */
    public boolean publishedBy(String txtRecord) {
        try {
            String p = Tags.parse(txtRecord).getOrDefault("p", "").replaceAll("\\s", "");
            byte[] published = Base64.getDecoder().decode(p);
            byte[] own = algorithm == DkimAlgorithm.RSA_SHA256 ? publicKey.getEncoded() : Ed25519Keys.raw(publicKey);
            return Arrays.equals(published, own);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        // never print the private key
        return "DkimKey[" + recordName() + " " + algorithm.keyType() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DkimKey k && k.domain.equals(domain) && k.selector.equals(selector)
                && k.algorithm == algorithm && Arrays.equals(k.pkcs8(), pkcs8());
    }

    @Override
    public int hashCode() {
        return recordName().hashCode();
    }
}
