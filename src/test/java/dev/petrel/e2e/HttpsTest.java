package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code [http] tls = true}: the HTTP listener speaks TLS 1.2 or newer with the [tls] certificate, only. */
class HttpsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static PetrelHome home;
    private static ServerProcess server;
    private static HttpClientCurl https;

    @BeforeAll
    static void startServer() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        String config = Files.readString(home.config());
        Files.writeString(home.config(), config.replace("[http]\n", "[http]\ntls = true\n"));
        server = home.start();
        https = new HttpClientCurl(home.dir(), "https://127.0.0.1:" + server.port("https"));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthIsServedOverTls12OrNewer() throws Exception {
        HttpClientCurl.Response r = https.send("GET", "/healthz", null, null, "-v");
        assertEquals(200, r.status(), r.describe());
        assertTrue(r.run().stderr().matches("(?s).*SSL connection using TLSv1\\.[23] .*"), r.describe());
    }

    @Test
    void tls11AndPlainHttpAreRefused() throws Exception {
        HttpClientCurl.Response old = https.send("GET", "/healthz", null, null, "--tlsv1.0", "--tls-max", "1.1");
        assertNotEquals(200, old.status(), old.describe());
        HttpClientCurl plain = new HttpClientCurl(home.dir(), "http://127.0.0.1:" + server.port("https"));
        assertNotEquals(200, plain.get("/healthz", null).status());
        assertTrue(server.log().contains("role=https (https://127.0.0.1:"), server.log());
    }
}
