package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** dkimpy (Debian python3-dkim, in the system's Python) as the reference signer: src/test/resources/mailauth/dkim_sign.py. */
public final class Dkimpy {

    private Dkimpy() {}

    /** The message with dkimpy's DKIM-Signature on top. */
    public static byte[] sign(Path dir, byte[] message, DkimKey key, String canonicalization, boolean length)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.write(file, message);
        Path keyFile = Files.createTempFile(dir, key.selector(), ".key");
        if (key.algorithm() == DkimAlgorithm.RSA_SHA256) {
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
                w.writeObject(new KeyPair(key.publicKey(), key.privateKey()));
            }
            Files.writeString(keyFile, pem.toString());
        } else {
            // dkimpy takes an Ed25519 key as its 32-octet seed in base64, the end of the PKCS#8 encoding
            byte[] pkcs8 = key.pkcs8();
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32,
                    pkcs8.length)));
        }
        Process p = new ProcessBuilder("/usr/bin/python3", Path.of("src/test/resources/mailauth/dkim_sign.py")
                .toAbsolutePath().toString(), file.toString(), keyFile.toString(), key.domain().name(), key.selector(),
                key.algorithm().tag(), canonicalization, length ? "yes" : "no")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dkimpy did not finish in 60 s");
        }
        byte[] signature = p.getInputStream().readAllBytes();
        assertEquals(0, p.exitValue(), "dkimpy failed: " + new String(signature, StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(signature, signature.length + message.length);
        System.arraycopy(message, 0, out, signature.length, message.length);
        return out;
    }
}
