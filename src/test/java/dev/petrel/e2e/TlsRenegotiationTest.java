package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * testssl.sh found client-initiated renegotiation allowed on 587 and 465 (secure_client_renego: a client can make
 * the server do handshakes for nothing). openssl s_client asks for one with "R" on TLS 1.2; the server refuses.
 */
class TlsRenegotiationTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static PetrelHome home;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        server = home.start();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"submission", "submissions"})
    void aClientCannotRenegotiate(String role) throws Exception {
        String openssl = Programs.require("openssl", "openssl");
        String script = "(sleep 2; printf 'EHLO renegotiating.test\\r\\n'; sleep 1; echo R; sleep 3) | " + openssl
                + " s_client -connect 127.0.0.1:" + server.port(role) + " -tls1_2"
                + (role.equals("submission") ? " -starttls smtp" : "") + " 2>&1";
        Programs.Result r = Programs.run(home.dir(), "openssl s_client " + role, List.of("sh", "-c", script), null,
                Programs.CLIENT_TIMEOUT);
        String out = r.output();
        assertTrue(out.contains("250 AUTH"), "the session was up before: " + r.describe());
        int asked = out.indexOf("RENEGOTIATING");
        assertTrue(asked >= 0, r.describe());
        assertTrue(out.indexOf("alert handshake failure", asked) > 0 || out.indexOf("alert no renegotiation", asked) > 0,
                "the server refuses the renegotiation: " + r.describe());
    }
}
