package dev.petrel.mailauth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 key encodings: the bare 32 octets DKIM publishes (RFC 8463 4), and the public half of a private key. */
final class Ed25519Keys {

    // RFC 8410 4: SubjectPublicKeyInfo of an Ed25519 key is this prefix and the 32 key octets
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Keys() {}

    static byte[] raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    static PublicKey fromRaw(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new GeneralSecurityException("an Ed25519 public key has 32 octets, not " + raw.length);
        }
        try {
            // RFC 8032 5.1.3: 32 octets that decode to no point of the curve are no key (RFC 6376 6.1.2: permfail)
            new org.bouncycastle.crypto.params.Ed25519PublicKeyParameters(raw, 0);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a point of Ed25519", e);
        }
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    // RFC 8410 7: the private key is a 32-octet seed inside an OCTET STRING, at the end of the PKCS#8 structure
    static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        byte[] pkcs8 = key.getEncoded();
        int at = seedOffset(pkcs8);
        byte[] seed = Arrays.copyOfRange(pkcs8, at, at + 32);
        byte[] pub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        return fromRaw(pub);
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            byte[] pkcs8 = key.getEncoded();
            int at = seedOffset(pkcs8);
            Ed25519PrivateKeyParameters params = new Ed25519PrivateKeyParameters(pkcs8, at);
            byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
            params.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 key as the JDK encodes one", e);
        }
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        return new org.bouncycastle.crypto.params.Ed25519PublicKeyParameters(raw(key), 0)
                .verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    // the seed follows "04 20" (OCTET STRING of 32) inside the privateKey OCTET STRING "04 22"
    private static int seedOffset(byte[] pkcs8) throws GeneralSecurityException {
        for (int i = 0; i + 3 < pkcs8.length; i++) {
            if (pkcs8[i] == 0x04 && pkcs8[i + 1] == 0x22 && pkcs8[i + 2] == 0x04 && pkcs8[i + 3] == 0x20
                    && i + 4 + 32 <= pkcs8.length) {
                return i + 4;
            }
        }
        throw new GeneralSecurityException("no Ed25519 seed in the PKCS#8 key");
    }
}
