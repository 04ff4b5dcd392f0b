package dev.petrel.compliance;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The secret that signs unsubscribe links: 32 octets from {@link SecureRandom}, made on first start in
 * {@code data_dir/unsubscribe.key} (readable by its owner only) and read from there after, so that links in mail
 * already sent keep working across restarts. Never logged. Nodes that share a PostgreSQL store share this file.
 */
public final class UnsubscribeSecret {

    public static final String FILE = "unsubscribe.key";
    private static final int LENGTH = 32;

    private UnsubscribeSecret() {}

    /** The secret in {@code dataDir}, made there first when there is none. */
    public static byte[] open(Path dataDir, SecureRandom random) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] secret = new byte[LENGTH];
            random.nextBytes(secret);
            Path temporary = Files.createTempFile(dataDir, FILE, ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, secret);
            try {
                // two processes starting at once: the first file made wins, the other reads it
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                // made by another process meanwhile
            } finally {
                Files.delete(temporary);
            }
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length < LENGTH) {
            throw new IOException(file + ": an unsubscribe secret has " + LENGTH + " octets, this one "
                    + secret.length);
        }
        return secret;
    }
}
