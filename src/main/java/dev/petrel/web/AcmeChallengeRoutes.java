package dev.petrel.web;

import java.util.Optional;

/**
 * {@code GET /.well-known/acme-challenge/{token}}: the ACME CA's HTTP-01 check (RFC 8555 8.3) of a name this
 * server asks a certificate for. The answer is the token's key authorization while an order is under way; any
 * other token is a 404. Public, as the CA has no credential.
 */
public final class AcmeChallengeRoutes {

    /** The key authorization of a token under way, empty for any other. */
    @FunctionalInterface
    public interface Challenges {
        Optional<String> keyAuthorization(String token);
    }

    // RFC 8555 8.3: the token is base64url
    private static final String TOKEN = "[A-Za-z0-9_-]+";

    private final Challenges challenges;

    public AcmeChallengeRoutes(Challenges challenges) {
        this.challenges = challenges;
    }

    public void addTo(Router router) {
        router.get("/.well-known/acme-challenge/{token}", Route.Access.PUBLIC, x -> {
            String token = x.path("token");
            return Optional.of(token).filter(t -> t.matches(TOKEN)).flatMap(challenges::keyAuthorization)
                    // RFC 8555 8.3: the body is the key authorization, nothing else
                    .map(answer -> Answer.text(200, "application/octet-stream", answer))
                    .orElseThrow(() -> ApiError.notFound("no ACME challenge under way with this token"));
        });
    }
}
