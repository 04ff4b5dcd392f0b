package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code Idempotency-Key}s of the send API, per tenant: the first request with a key claims it, and its answer is
 * kept with it, so that a repeat gets the same answer and sends nothing. Claims are atomic: of two requests with one
 * key, one claims it and the other finds the claim (which has no answer while the first is under way).
 */
public interface IdempotencyKeys {

    /**
     * A claimed key as stored.
     *
     * @param fingerprint tells the request's method, path and body apart from another's
     * @param status the answer's status, or 0 while the request that claimed it is under way
     * @param body the answer's body, or null while under way
     */
    record Claim(String fingerprint, int status, String body, Instant created) {
        public boolean answered() {
            return status != 0;
        }
    }

    /**
     * Claims the tenant's key for a request; empty when this request claimed it, else the claim that holds it. A claim
     * made before {@code staleBefore} is gone, and so is one still without an answer made before
     * {@code abandonedBefore} (its request ended without one: the process stopped), so this request claims it anew.
     */
    Optional<Claim> claim(TenantId tenant, String key, String fingerprint, Instant now, Instant staleBefore,
                          Instant abandonedBefore);

    /** Keeps the answer with the tenant's claimed key. */
    void answer(TenantId tenant, String key, int status, String body);

    /** Gives up the tenant's claim (an answer not to repeat: a failure for now), so that the key may be used again. */
    void release(TenantId tenant, String key);

    /** Forgets every tenant's keys claimed before {@code before}; how many. */
    int forget(Instant before);
}
