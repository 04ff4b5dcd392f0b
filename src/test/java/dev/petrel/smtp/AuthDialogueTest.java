package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthDialogueTest {

    private final FakeAuthenticator users = new FakeAuthenticator()
            .with("alice@example.com", "correct horse")
            .with("odd,name=x@example.com", "pencil");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private AuthDialogue start(String mechanism) throws Refusal {
        return AuthDialogue.start(mechanism, users, new Random(1));
    }

    private static void assertFailure(AuthDialogue.Step step, int code, String status) {
        AuthDialogue.Step.Failure failure = assertInstanceOf(AuthDialogue.Step.Failure.class, step);
        assertEquals(code, failure.reply().code());
        assertEquals(status, failure.reply().status().toString());
    }

    private static String challenge(AuthDialogue.Step step) {
        return assertInstanceOf(AuthDialogue.Step.Challenge.class, step).text();
    }

    // PLAIN (RFC 4616)

    @Test
    void plainWithInitialResponseSucceedsWithTheRightPassword() throws Refusal {
        AuthDialogue.Step step = start("PLAIN").begin(b64("\0alice@example.com\0correct horse"));
        assertEquals("alice@example.com", assertInstanceOf(AuthDialogue.Step.Success.class, step).username());
    }

    @Test
    void plainWithoutInitialResponseSendsAnEmptyChallengeFirst() throws Refusal {
        AuthDialogue dialogue = start("PLAIN");
        assertEquals("", challenge(dialogue.begin(null)));
        AuthDialogue.Step step = dialogue.respond(b64("\0ALICE@example.com\0correct horse"));
        assertEquals("alice@example.com", assertInstanceOf(AuthDialogue.Step.Success.class, step).username());
    }

    @Test
    void plainWithTheWrongPasswordFailsWith535() throws Refusal {
        assertFailure(start("PLAIN").begin(b64("\0alice@example.com\0wrong")), 535, "5.7.8");
    }

    @Test
    void plainForAnUnknownUserFailsWith535() throws Refusal {
        assertFailure(start("PLAIN").begin(b64("\0mallory@example.com\0correct horse")), 535, "5.7.8");
    }

    @Test
    void plainAcceptsAnAuthzidEqualToTheUser() throws Refusal {
        AuthDialogue.Step step = start("PLAIN").begin(b64("alice@example.com\0alice@example.com\0correct horse"));
        assertInstanceOf(AuthDialogue.Step.Success.class, step);
    }

    @Test
    void plainRefusesToActForAnotherIdentity() throws Refusal {
        // the password is right, but the client asks to be someone else
        assertFailure(start("PLAIN").begin(b64("bob@example.com\0alice@example.com\0correct horse")), 535, "5.7.8");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"alice@example.com\0correct horse", "\0\0correct horse", "\0alice@example.com",
            "a\0b\0c\0d", ""})
    void plainMessagesWithoutThreeFieldsAndAUserFail(String message) throws Refusal {
        assertFailure(start("PLAIN").begin(b64(message)), 535, "5.7.8");
    }

    @Test
    void anEqualsSignIsAnEmptyInitialResponse() throws Refusal {
        assertFailure(start("PLAIN").begin("="), 535, "5.7.8");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"not base64!", "AGFsaWNl$", "%%%%"})
    void invalidBase64FailsWith501(String line) throws Refusal {
        assertFailure(start("PLAIN").begin(line), 501, "5.5.2");
        AuthDialogue login = start("LOGIN");
        login.begin(null);
        assertFailure(login.respond(line), 501, "5.5.2");
    }

    @Test
    void anAsteriskCancelsTheExchangeWith501() throws Refusal {
        AuthDialogue dialogue = start("PLAIN");
        dialogue.begin(null);
        assertFailure(dialogue.respond("*"), 501, "5.5.2");
        AuthDialogue login = start("LOGIN");
        login.begin(null);
        login.respond(b64("alice@example.com"));
        assertFailure(login.respond("*"), 501, "5.5.2");
    }

    // LOGIN

    @Test
    void loginAsksForUserNameThenPassword() throws Refusal {
        AuthDialogue dialogue = start("LOGIN");
        assertEquals("Username:", unb64(challenge(dialogue.begin(null))));
        assertEquals("Password:", unb64(challenge(dialogue.respond(b64("alice@example.com")))));
        AuthDialogue.Step step = dialogue.respond(b64("correct horse"));
        assertEquals("alice@example.com", assertInstanceOf(AuthDialogue.Step.Success.class, step).username());
    }

    @Test
    void loginMayGiveTheUserNameAsInitialResponse() throws Refusal {
        AuthDialogue dialogue = start("LOGIN");
        assertEquals("Password:", unb64(challenge(dialogue.begin(b64("alice@example.com")))));
        assertInstanceOf(AuthDialogue.Step.Success.class, dialogue.respond(b64("correct horse")));
    }

    @Test
    void loginWithTheWrongPasswordFailsWith535() throws Refusal {
        AuthDialogue dialogue = start("LOGIN");
        dialogue.begin(b64("alice@example.com"));
        assertFailure(dialogue.respond(b64("correct battery")), 535, "5.7.8");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256-PLUS", "XOAUTH2", "plain"})
    void unknownMechanismsAreRefusedWith504(String mechanism) {
        // the session uppercases the mechanism; here the dialogue sees it as given
        Refusal refusal = assertThrows(Refusal.class, () -> start(mechanism));
        assertEquals(504, refusal.reply().code());
        assertEquals("5.5.4", refusal.reply().status().toString());
    }

    // SCRAM-SHA-256 (RFC 5802, RFC 7677)

    @Test
    void theTestClientComputesTheRfc7677Example() {
        // RFC 7677 3: user "user", password "pencil"; this checks the test's own client before it checks the server
        ScramClient client = new ScramClient("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", client.clientFirst());
        String serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", client.clientFinal(serverFirst));
        assertTrue(client.serverFinalIsGenuine("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        assertFalse(client.serverFinalIsGenuine("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    /** Runs a whole SCRAM exchange; returns the last step. */
    private AuthDialogue.Step scram(ScramClient client, boolean initialResponse) throws Refusal {
        AuthDialogue dialogue = start("SCRAM-SHA-256");
        String serverFirst;
        if (initialResponse) {
            serverFirst = unb64(challenge(dialogue.begin(b64(client.clientFirst()))));
        } else {
            assertEquals("", challenge(dialogue.begin(null)));
            serverFirst = unb64(challenge(dialogue.respond(b64(client.clientFirst()))));
        }
        AuthDialogue.Step afterFinal = dialogue.respond(b64(client.clientFinal(serverFirst)));
        if (!(afterFinal instanceof AuthDialogue.Step.Challenge c)) {
            return afterFinal;
        }
        // RFC 5802 5: the client checks the server signature, then answers the last challenge with an empty line
        assertTrue(client.serverFinalIsGenuine(unb64(c.text())), "server signature v= is wrong");
        return dialogue.respond("");
    }

    @Test
    void scramExchangeAuthenticatesBothSides() throws Refusal {
        AuthDialogue.Step step = scram(new ScramClient("alice@example.com", "correct horse", "fyko+d2lbbFgONRv9qkxdawL"), false);
        assertEquals("alice@example.com", assertInstanceOf(AuthDialogue.Step.Success.class, step).username());
    }

    @Test
    void scramExchangeMayStartWithAnInitialResponse() throws Refusal {
        AuthDialogue.Step step = scram(new ScramClient("alice@example.com", "correct horse", "abc123"), true);
        assertInstanceOf(AuthDialogue.Step.Success.class, step);
    }

    @Test
    void scramDecodesEscapedCommasAndEqualsInTheUserName() throws Refusal {
        // RFC 5802 5.1: "," and "=" in a user name are sent as =2C and =3D
        AuthDialogue.Step step = scram(new ScramClient("odd,name=x@example.com", "pencil", "nonce"), false);
        assertEquals("odd,name=x@example.com", assertInstanceOf(AuthDialogue.Step.Success.class, step).username());
    }

    @Test
    void scramServerFirstExtendsTheClientNonceAndCarriesSaltAndIterations() throws Refusal {
        AuthDialogue dialogue = start("SCRAM-SHA-256");
        ScramClient client = new ScramClient("alice@example.com", "correct horse", "clientnonce");
        Map<String, String> first = ScramClient.attributes(unb64(challenge(dialogue.begin(b64(client.clientFirst())))));
        assertTrue(first.get("r").startsWith("clientnonce"));
        assertTrue(first.get("r").length() > "clientnonce".length() + 16, "the server adds its own random part");
        assertEquals("salt of alice@example.com", new String(Base64.getDecoder().decode(first.get("s")), StandardCharsets.UTF_8));
        assertEquals("4096", first.get("i"));
    }

    @Test
    void scramServerNoncesDifferFromOneExchangeToTheNext() throws Refusal {
        Random random = new Random(5);
        String first = unb64(challenge(AuthDialogue.start("SCRAM-SHA-256", users, random)
                .begin(b64(new ScramClient("alice@example.com", "x", "n").clientFirst()))));
        String second = unb64(challenge(AuthDialogue.start("SCRAM-SHA-256", users, random)
                .begin(b64(new ScramClient("alice@example.com", "x", "n").clientFirst()))));
        assertNotEquals(ScramClient.attributes(first).get("r"), ScramClient.attributes(second).get("r"));
    }

    @Test
    void scramWithTheWrongPasswordFailsWith535() throws Refusal {
        assertFailure(scram(new ScramClient("alice@example.com", "wrong horse", "n0nce"), false), 535, "5.7.8");
    }

    @Test
    void scramForAnUnknownUserLooksTheSameUntilTheProofFails() throws Refusal {
        AuthDialogue dialogue = start("SCRAM-SHA-256");
        ScramClient client = new ScramClient("mallory@example.com", "anything", "n0nce");
        // a server-first-message with a made-up salt, so the reply does not tell who exists
        Map<String, String> first = ScramClient.attributes(unb64(challenge(dialogue.begin(b64(client.clientFirst())))));
        assertEquals("4096", first.get("i"));
        assertEquals(16, Base64.getDecoder().decode(first.get("s")).length);
        String serverFirst = "r=" + first.get("r") + ",s=" + first.get("s") + ",i=" + first.get("i");
        assertFailure(dialogue.respond(b64(client.clientFinal(serverFirst))), 535, "5.7.8");
    }

    @Test
    void scramWithAChangedNonceFails() throws Refusal {
        AuthDialogue dialogue = start("SCRAM-SHA-256");
        ScramClient client = new ScramClient("alice@example.com", "correct horse", "n0nce");
        String serverFirst = unb64(challenge(dialogue.begin(b64(client.clientFirst()))));
        String tampered = serverFirst.replaceFirst("r=n0nce", "r=n0nceX");
        ScramClient replayer = new ScramClient("alice@example.com", "correct horse", "n0nce");
        replayer.clientFirst();
        assertFailure(dialogue.respond(b64(replayer.clientFinal(tampered))), 535, "5.7.8");
    }

    @Test
    void scramWithATamperedProofFails() throws Refusal {
        AuthDialogue dialogue = start("SCRAM-SHA-256");
        ScramClient client = new ScramClient("alice@example.com", "correct horse", "n0nce");
        String serverFirst = unb64(challenge(dialogue.begin(b64(client.clientFirst()))));
        String clientFinal = client.clientFinal(serverFirst);
        int p = clientFinal.indexOf(",p=") + 3;
        char flipped = clientFinal.charAt(p) == 'A' ? 'B' : 'A';
        String tampered = clientFinal.substring(0, p) + flipped + clientFinal.substring(p + 1);
        assertFailure(dialogue.respond(b64(tampered)), 535, "5.7.8");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // channel binding is not offered (no -PLUS mechanism)
            "p=tls-unique,,n=alice@example.com,r=abc",
            // no gs2 header, or no user, or no nonce
            "n=alice@example.com,r=abc", "n,,r=abc", "n,,n=alice@example.com", "n,",
            // an authzid other than the user
            "n,a=bob@example.com,n=alice@example.com,r=abc",
    })
    void malformedScramFirstMessagesFail(String message) throws Refusal {
        assertFailure(start("SCRAM-SHA-256").begin(b64(message)), 535, "5.7.8");
    }

    @Test
    void scramAcceptsAnAuthzidEqualToTheUser() throws Refusal {
        AuthDialogue dialogue = start("SCRAM-SHA-256");
        ScramClient client = new ScramClient("alice@example.com", "correct horse", "n0nce");
        String serverFirst = unb64(challenge(dialogue.begin(b64(client.clientFirst("n,a=alice@example.com,")))));
        String serverFinal = unb64(challenge(dialogue.respond(b64(client.clientFinal(serverFirst)))));
        assertTrue(client.serverFinalIsGenuine(serverFinal));
        assertEquals("alice@example.com",
                assertInstanceOf(AuthDialogue.Step.Success.class, dialogue.respond("")).username());
    }
}
