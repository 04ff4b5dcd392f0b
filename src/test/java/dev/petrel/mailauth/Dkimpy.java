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
        byte[] signature = run(script("dkim_sign.py"), file.toString(), keyFile(dir, key).toString(),
                key.domain().name(), key.selector(), key.algorithm().tag(), canonicalization, length ? "yes" : "no");
        return onTop(signature, message);
    }

    /** The message with dkimpy's ARC set on top (RSA keys only: dkimpy seals with nothing else). */
    public static byte[] arcSign(Path dir, byte[] message, DkimKey key, String srvId)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.write(file, message);
        byte[] set = run(script("arc.py"), "sign", file.toString(), keyFile(dir, key).toString(), key.domain().name(),
                key.selector(), srvId);
        return onTop(set, message);
    }

    /**
     * dkimpy's verdict on the message's ARC chain, with the keys of {@code records} (DNS name to TXT text), or
     * from the DNS server at {@code dns} when records is null: "cv=pass", then a line per set.
     */
    public static java.util.List<String> arcVerify(Path dir, byte[] message, java.util.Map<String, String> records,
                                                   String dns) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.write(file, message);
        String[] where;
        if (records == null) {
            where = new String[] {"--dns", dns};
        } else {
            Path table = Files.createTempFile(dir, "records", ".json");
            Files.writeString(table, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(records));
            where = new String[] {table.toString()};
        }
        String[] args = new String[3 + where.length];
        args[0] = script("arc.py");
        args[1] = "verify";
        args[2] = file.toString();
        System.arraycopy(where, 0, args, 3, where.length);
        return new String(run(args), StandardCharsets.UTF_8).lines().toList();
    }

    private static String script(String name) {
        return Path.of("src/test/resources/mailauth", name).toAbsolutePath().toString();
    }

    private static Path keyFile(Path dir, DkimKey key) throws IOException {
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
        return keyFile;
    }

    // Debian's python3-dkim is in the system's Python
    private static byte[] run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "/usr/bin/python3";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dkimpy did not finish in 60 s");
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.exitValue(), "dkimpy failed: " + new String(out, StandardCharsets.UTF_8));
        return out;
    }

    private static byte[] onTop(byte[] fields, byte[] message) {
        byte[] out = Arrays.copyOf(fields, fields.length + message.length);
        System.arraycopy(message, 0, out, fields.length, message.length);
        return out;
    }
}
