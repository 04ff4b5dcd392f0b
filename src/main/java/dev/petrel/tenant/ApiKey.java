package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * An API key as listed: its public id, never its secret ({@link ApiKeySecrets} makes and checks those).
 *
 * @param stream the one stream the key may send on, or null for any stream of its tenant
 */
public record ApiKey(String id, TenantId tenant, String stream, Instant created) {

    /** How an SMTP session names a key it authenticated with: {@code apikey:<id>}, the public id only. */
    public static final String IDENTITY_PREFIX = "apikey:";

    /** The user name a client gives in SMTP AUTH to authenticate with a key as the password. */
    public static final String SMTP_USER = "apikey";

    public String identity() {
        return IDENTITY_PREFIX + id;
    }

    /** The key id in an identity made by {@link #identity()}, or empty for any other user name. */
    public static Optional<String> idOf(String identity) {
        return identity != null && identity.startsWith(IDENTITY_PREFIX)
                ? Optional.of(identity.substring(IDENTITY_PREFIX.length())) : Optional.empty();
    }

    public boolean scoped() {
        return stream != null;
    }
}
