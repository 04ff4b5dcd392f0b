package dev.petrel.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The tokens that open the admin API and the dashboard. The store keeps each token's public id, its name and a
 * hash of the whole token, never the token itself ({@link AdminTokenSecrets} makes and checks them). Reads see
 * changes made by other processes, so a revoked token stops working at once on a running server.
 */
public interface AdminTokens {

    /** A token as listed: what identifies it, never its secret. */
    record AdminToken(String id, String name, Instant created) {}

    /** Stores a new token; false (and nothing stored) when one of that name exists. */
    boolean add(AdminToken token, byte[] hash);

    /** Every token, oldest first. */
    List<AdminToken> tokens();

    /** The hash stored for the token with this public id. */
    Optional<byte[]> hash(String id);

    /** Removes the token of this id or name; false when there is none. */
    boolean revoke(String idOrName);
}
