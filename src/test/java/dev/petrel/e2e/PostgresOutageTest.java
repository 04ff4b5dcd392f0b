package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.testing.PrivatePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: while the PostgreSQL that holds a server's stores and queue is away (stopped as an operator restarts
 * it), SMTP clients hear 451 4.3.0 and HTTP clients 503 with Retry-After, never a connection cut or a 500; once it
 * is back, the same server answers as before without a restart of its own. A private PostgreSQL of this test's
 * own, since it is stopped.
 */
class PostgresOutageTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern KEY = Pattern.compile("pk_[A-Za-z0-9_-]+");

    @Test
    void whilePostgresqlIsAwaySmtpIs451AndHttpIs503AndBothRecoverWhenItIsBack() throws Exception {
        try (PrivatePostgres postgres = PrivatePostgres.start()) {
            PetrelHome home = PetrelHome.create(scratch.newFolder("outage"));
            Files.writeString(home.config(), "\n[store]\nurl = \"" + postgres.newDatabase() + "\"\n",
                    StandardOpenOption.APPEND);
            Matcher key = KEY.matcher(home.petrelOk(null, "key", "create", "default").stdout());
            assertTrue(key.find(), "key create prints the key");
            try (ServerProcess server = home.start()) {
                assertEquals(200, events(server, key.group()), "the key opens the API");
                postgres.stop();
                try (SmtpLine smtp = SmtpLine.connect(server.port("mx"))) {
                    assertTrue(smtp.reply().startsWith("220"));
                    assertTrue(smtp.command("EHLO client.test").startsWith("250"));
                    assertTrue(smtp.command("MAIL FROM:<someone@remote.test>").startsWith("250"));
                    String rcpt = smtp.command("RCPT TO:<nobody@localhost>");
                    assertTrue(rcpt.startsWith("451 4.3.0"), "the lookup cannot be made: " + rcpt);
                }
                HttpResponse<String> away = get(server, key.group());
                assertEquals(503, away.statusCode(), away.body());
                assertEquals("10", away.headers().firstValue("Retry-After").orElse(""));
                assertTrue(server.log().contains("answered 451 4.3.0"), "the cause is in the log");

                postgres.restart();
                String rcpt = Poll.until(java.time.Duration.ofSeconds(60), "an answer from the store again", () -> {
                    try (SmtpLine smtp = SmtpLine.connect(server.port("mx"))) {
                        smtp.reply();
                        smtp.command("EHLO client.test");
                        smtp.command("MAIL FROM:<someone@remote.test>");
                        String r = smtp.command("RCPT TO:<nobody@localhost>");
                        return r.startsWith("451") ? null : r;
                    }
                });
                assertTrue(rcpt.startsWith("550"), "the lookup is made again (no such user): " + rcpt);
                assertEquals(200, events(server, key.group()), "the API answers again");
            }
        }
    }

    private static int events(ServerProcess server, String key) throws Exception {
        return get(server, key).statusCode();
    }

    private static HttpResponse<String> get(ServerProcess server, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("http")
                + "/v1/events")).header("Authorization", "Bearer " + key).GET().build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
