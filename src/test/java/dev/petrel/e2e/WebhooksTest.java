package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks end to end: a real server process, endpoints added with {@code petrel webhook add} while it runs, mail
 * through SMTP, and a receiver on loopback that checks every request with the Standard Webhooks reference
 * verifier.
 */
class WebhooksTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    static final Pattern ADDED = Pattern.compile("webhook (wh_[0-9a-f]+) added for .*\nsecret (whsec_[A-Za-z0-9+/=]+)\n");
    private static final String ALICE = "alice@maildir.e2e.test";

    private ServerProcess server;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** A home whose server may post to loopback over http, with a local domain delivered to Maildirs. */
    static PetrelHome home(Scratch scratch, String name) throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder(name));
        Files.writeString(home.config(), Files.readString(home.config()).replace("[http]\n",
                "[http]\nwebhook_allow_private = true\n"));
        home.petrelOk(null, "domain", "add", "maildir.e2e.test", "--local");
        home.addUser(ALICE, "alice-secret");
        return home;
    }

    /** {@code petrel webhook add default URL ...}: the id and the secret it printed. */
    static String[] add(PetrelHome home, String url, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("webhook", "add", "default", url));
        args.addAll(List.of(more));
        Programs.Result r = home.petrelOk(null, args.toArray(String[]::new));
        Matcher m = ADDED.matcher(r.stdout());
        assertTrue(m.find(), r.describe());
        return new String[] {m.group(1), m.group(2)};
    }

    static String send(int port, String to) throws Exception {
        try (SmtpLine smtp = SmtpLine.connect(port)) {
            smtp.reply();
            smtp.command("EHLO client.e2e.test");
            assertTrue(smtp.command("MAIL FROM:<sender@remote.e2e.test>").startsWith("250"));
            assertTrue(smtp.command("RCPT TO:<" + to + ">").startsWith("250"));
            assertTrue(smtp.command("DATA").startsWith("354"));
            String reply = smtp.command("Subject: hook\r\n\r\nhello\r\n.");
            smtp.command("QUIT");
            return Queued.idIn(reply);
        }
    }

    @Test
    void mailThroughSmtpReachesAVerifyingReceiverAsQueuedAndDeliveredEventsAfterRetries() throws Exception {
        PetrelHome home = home(scratch, "webhooks");
        server = home.start();
        receiver = new WebhookReceiver(3);
        // added while the server runs: it reads endpoints again every two seconds
        String[] hook = add(home, receiver.url("/hook"));
        receiver.secret(hook[1]);
        String[] redirect = add(home, receiver.url("/redirect"), "--events", "message.queued");
        Thread.sleep(Duration.ofSeconds(3));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send(server.port("mx"), ALICE));
        }
        // the first three posts are answered 503; they come again after their backoff (15 to 30 s)
        Poll.until(Duration.ofSeconds(120), "queued and delivered events of " + ids + " at the receiver", () -> {
            for (String id : ids) {
                if (!receiver.received().contains("message.queued " + id)
                        || !receiver.received().contains("message.delivered " + id)) {
                    return null;
                }
            }
            return true;
        });
        assertTrue(receiver.badSignatures.isEmpty(), receiver.badSignatures.toString());
        assertEquals(3, receiver.failedOnPurpose.get());
        assertTrue(receiver.requests.get() >= 6 + 3, receiver.requests + " requests: the failed ones came again");
        for (var ev : receiver.events.values()) {
            assertEquals("default", ev.get("tenant").isNull() ? "default" : ev.get("tenant").asText());
            assertTrue(ev.get("timestamp").asText().endsWith("Z"), ev.toString());
        }
        // a redirect is a failure, never followed
        Poll.until(Duration.ofSeconds(10), "attempts on the redirecting endpoint", () -> receiver.redirected.get() >= 3 ? true : null);
        assertEquals(0, receiver.moved.get(), "a redirect was followed");
        String list = Poll.until(Duration.ofSeconds(10), "the redirect's failure in webhook list", () -> {
            String out = home.petrelOk(null, "webhook", "list").stdout();
            return out.contains("HTTP status 302") ? out : null;
        });
        assertTrue(list.contains(hook[0] + " default enabled events=* pending=0"), list);
        assertFalse(list.contains("whsec_"), "the secret is shown only once:\n" + list);
        home.petrelOk(null, "webhook", "remove", redirect[0]);
        assertFalse(home.petrelOk(null, "webhook", "list").stdout().contains(redirect[0]));
        assertEquals(1, home.petrel(null, "webhook", "remove", redirect[0]).exitCode());
    }

    @Test
    void theCommandLineRefusesAPrivateTargetUnlessAllowedAndAnUnknownTenant() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("strict"));
        Programs.Result r = home.petrel(null, "webhook", "add", "default", "http://127.0.0.1:9/hook");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("https"), r.describe());
        r = home.petrel(null, "webhook", "add", "default", "https://127.0.0.1:9/hook");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("not a public address"), r.describe());
        r = home.petrel(null, "webhook", "add", "acme", "https://hooks.example.com/");
        assertEquals(1, r.exitCode(), r.describe());
        r = home.petrel(null, "webhook", "add", "default", "https://93.184.216.34/", "--events", "message.lost");
        assertEquals(2, r.exitCode(), r.describe());
        assertEquals("", home.petrelOk(null, "webhook", "list").stdout());
    }
}
