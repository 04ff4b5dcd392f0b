package dev.petrel.web;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.IdempotencyKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code Idempotency-Key} header of the sending routes. The first request with a key claims it for the tenant;
 * its answer is kept with the key for the window ({@code [http] idempotency_window}, 24 hours), and a repeat with the
 * same method, path and body gets that answer again (with {@code Idempotent-Replayed: true}) and sends nothing. A
 * repeat with another body is 409 {@code idempotency_key_reused}; one while the first is under way is 409
 * {@code idempotency_key_in_progress}, so two concurrent requests never both send. Answers that say to try again
 * (429, 5xx) are not kept: the key is free again. A claim left without an answer (the process stopped during the
 * request) is taken over after {@value #ABANDONED_MINUTES} minutes.
 */
final class Idempotency {

    static final int MAX_KEY = 255;
    static final long ABANDONED_MINUTES = 10;
    private static final Duration FORGET_EVERY = Duration.ofMinutes(1);

    private final IdempotencyKeys keys;
    private final Clock clock;
    private final Duration window;
    private final AtomicReference<Instant> lastForget = new AtomicReference<>(Instant.MIN);

    Idempotency(IdempotencyKeys keys, Clock clock, Duration window) {
        this.keys = keys;
        this.clock = clock;
        this.window = window;
    }

    /** The handler, honouring the header. */
    Route.Handler wrap(Route.Handler handler) {
        return x -> {
            Optional<String> key = x.header("idempotency-key");
            return key.isEmpty() ? handler.handle(x) : once(x, checked(key.get()), handler);
        };
    }

    private Answer once(Exchange x, String key, Route.Handler handler) throws IOException {
        TenantId tenant = x.who().tenant();
        String fingerprint = fingerprint(x);
        Instant now = clock.instant();
        forgetExpired(now);
        Optional<IdempotencyKeys.Claim> held = keys.claim(tenant, key, fingerprint, now, now.minus(window),
                now.minus(Duration.ofMinutes(ABANDONED_MINUTES)));
        if (held.isPresent()) {
            return repeat(held.get(), fingerprint);
        }
        Answer answer;
        try {
            answer = handler.handle(x);
        } catch (ApiError e) {
            answer = Answer.error(e);
        } catch (IOException | RuntimeException e) {
            keys.release(tenant, key);
            throw e;
        }
        if (answer.status() == 429 || answer.status() >= 500) {
            keys.release(tenant, key);
        } else {
            keys.answer(tenant, key, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
        }
        return answer;
    }

    private static Answer repeat(IdempotencyKeys.Claim claim, String fingerprint) {
        if (!claim.fingerprint().equals(fingerprint)) {
            throw new ApiError(409, "idempotency_key_reused", "this Idempotency-Key was used with another request"
                    + " (method, path or body) within the window; use a new key for a new request");
        }
        if (!claim.answered()) {
            throw new ApiError(409, "idempotency_key_in_progress", "a request with this Idempotency-Key is under way;"
                    + " ask again when it has been answered").with("Retry-After", "1");
        }
        return new Answer(claim.status(), Answer.JSON, claim.body().getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotent-Replayed", "true"));
    }

    // printable ASCII, as header values are (RFC 9110 5.5), and short enough to index
    private static String checked(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiError.badRequest("Idempotency-Key: 1 to " + MAX_KEY + " printable ASCII characters, no spaces");
        }
        return key;
    }

    private static String fingerprint(Exchange x) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((x.method() + " " + x.path() + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(x.body()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    // the expired keys go at most once a minute, by the request that finds it due
    private void forgetExpired(Instant now) {
        Instant last = lastForget.get();
        if (last.isBefore(now.minus(FORGET_EVERY)) && lastForget.compareAndSet(last, now)) {
            keys.forget(now.minus(window));
        }
    }
}
