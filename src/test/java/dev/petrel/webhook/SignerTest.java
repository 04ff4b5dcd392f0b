package dev.petrel.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Petrel's signatures checked by the Standard Webhooks reference verifier, not by Petrel's own code. */
class SignerTest {

    private static final String BODY = "{\"id\":\"42\",\"type\":\"message.delivered\",\"recipient\":\"bob@example.com\"}";

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }

    @Test
    void aSignatureMadeByPetrelPassesTheReferenceVerifier() throws Exception {
        String secret = Signer.newSecret(new SecureRandom());
        long now = Instant.now().getEpochSecond();
        String signature = new Signer(secret).sign("42", now, BODY);
        new Webhook(secret).verify(BODY, headers("42", now, signature));
    }

    @Test
    void petrelSignsExactlyAsTheReferenceImplementationDoes() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assertEquals(new Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"),
                new Signer(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
        // the example of the specification
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                new Signer(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    @Test
    void aChangedBodyOrAnotherSecretFailsTheReferenceVerifier() {
        String secret = Signer.newSecret(new SecureRandom());
        long now = Instant.now().getEpochSecond();
        String signature = new Signer(secret).sign("42", now, BODY);
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secret).verify(BODY + " ", headers("42", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(Signer.newSecret(new SecureRandom())).verify(BODY, headers("42", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secret).verify(BODY, headers("43", now, signature)));
    }

    @Test
    void aNewSecretIsWhsecAndTheBase64OfThirtyTwoRandomBytes() {
        SecureRandom random = new SecureRandom();
        String a = Signer.newSecret(random);
        String b = Signer.newSecret(random);
        assertTrue(a.startsWith("whsec_"), a);
        assertEquals(32, Base64.getDecoder().decode(a.substring(6)).length);
        assertTrue(!a.equals(b));
    }

    @Test
    void aSecretWithoutThePrefixIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Signer("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }
}
