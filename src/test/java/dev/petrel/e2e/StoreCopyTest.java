package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.JournalQueueStore;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code petrel store copy}, both ways, as an operator moving to several nodes does it: a data folder's SQLite
 * store and journal with a tenant, a stream, a key, a user, a suppression, a consent, a DKIM key, a webhook and two
 * queued messages (one held) copied into PostgreSQL, then from there into a new data folder; every listing of the
 * command line reads the same in all three, the copied key opens the HTTP API of a server on the last one, and
 * its queue holds the two messages.
 */
@ExtendWith(PostgresExtension.class)
class StoreCopyTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern KEY = Pattern.compile("pk_[A-Za-z0-9_-]+");
    private static final List<List<String>> LISTINGS = List.of(List.of("tenant", "list"),
            List.of("stream", "list", "acme"), List.of("key", "list", "acme"), List.of("domain", "list"),
            List.of("user", "list"), List.of("suppression", "list", "acme"),
            List.of("consent", "show", "acme", "carol@else.test"), List.of("dkim", "list"),
            List.of("webhook", "list", "acme"), List.of("queue", "list"));

    private final PrivatePostgres postgres;

    StoreCopyTest(PrivatePostgres postgres) {
        this.postgres = postgres;
    }

    @Test
    void aDataFolderGoesToPostgresqlAndBackWithEverythingItHeld() throws Exception {
        PetrelHome embedded = PetrelHome.create(scratch.newFolder("embedded"));
        String key = fill(embedded);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.write(embedded.dataDir().resolve("unsubscribe.key"), secret);
        PetrelHome cluster = PetrelHome.create(scratch.newFolder("postgresql"));
        Files.writeString(cluster.config(), "\n[store]\nurl = \"" + postgres.newDatabase() + "\"\n",
                java.nio.file.StandardOpenOption.APPEND);
        PetrelHome back = PetrelHome.create(scratch.newFolder("back"));

        Programs.Result there = embedded.petrelOk(null, "store", "copy", "--to", cluster.config().toString());
        assertTrue(there.stdout().contains("queue messages=2"), there.describe());
        assertTrue(there.stdout().matches("(?s).*table api_keys rows=1\n.*"), there.describe());
        Programs.Result backAgain = cluster.petrelOk(null, "store", "copy", "--to", back.config().toString());
        assertEquals(counts(there), counts(backAgain), "as many rows each way");
        // what went to PostgreSQL and came back is what was there: nothing lost or changed on the way, either way
        assertEquals(listings(embedded), listings(back));
        assertArrayEquals(secret, Files.readAllBytes(back.dataDir().resolve("unsubscribe.key")));

        long sourceLast = feedLast(embedded);
        assertTrue(sourceLast >= 3, "two messages queued and one held: " + sourceLast);
        assertEquals(sourceLast, feedLast(back), "the copy's feed goes on where the source's ended");

        try (ServerProcess server = back.start()) {
            assertEquals(2, server.queuedAtStart(), server.log());
            assertEquals(200, events(server, key), "the copied key opens the API");
            assertEquals(401, events(server, key.substring(0, key.length() - 2) + "xx"), "a wrong key does not");
        }
    }

    @Test
    void aStoreThatIsNotNewIsReplacedOnlyWhenAskedTo() throws Exception {
        PetrelHome from = PetrelHome.create(scratch.newFolder("from"));
        from.petrelOk(null, "tenant", "add", "acme");
        PetrelHome into = PetrelHome.create(scratch.newFolder("into"));
        Files.writeString(into.config(), "\n[store]\nurl = \"" + postgres.newDatabase() + "\"\n",
                java.nio.file.StandardOpenOption.APPEND);
        into.petrelOk(null, "tenant", "add", "zulu");

        Programs.Result refused = from.petrel(null, "store", "copy", "--to", into.config().toString());
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("the target store is not new: its table tenants has 1 row(s)"),
                refused.describe());
        assertTrue(into.petrelOk(null, "tenant", "list").stdout().contains("zulu"), "nothing changed");

        from.petrelOk(null, "store", "copy", "--to", into.config().toString(), "--replace");
        assertEquals(from.petrelOk(null, "tenant", "list").stdout(), into.petrelOk(null, "tenant", "list").stdout());
    }

    // a little of every store, and two messages in the queue; returns the API key made
    private static String fill(PetrelHome home) throws Exception {
        home.petrelOk(null, "tenant", "add", "acme");
        home.petrelOk(null, "tenant", "set", "acme", "--identification", "Acme Inc., 1 Main St, Ottawa");
        home.petrelOk(null, "domain", "add", "acme.test", "--tenant", "acme");
        home.petrelOk(null, "stream", "add", "acme", "news", "--kind", "broadcast");
        Matcher key = KEY.matcher(home.petrelOk(null, "key", "create", "acme").stdout());
        assertTrue(key.find(), "key create prints the key");
        home.petrelOk("s3cret-Passw0rd\n".getBytes(StandardCharsets.UTF_8), "user", "add", "alice@acme.test",
                "--tenant", "acme");
        home.petrelOk(null, "suppression", "add", "acme", "bob@else.test");
        home.petrelOk(null, "consent", "add", "acme", "carol@else.test", "--kind", "express", "--at", "2026-01-02",
                "--evidence", "signed up at the fair");
        home.petrelOk(null, "dkim", "keygen", "acme.test");
        Files.writeString(home.config(), Files.readString(home.config()).replace("[http]\n",
                "[http]\nwebhook_allow_private = true\n"));
        home.petrelOk(null, "webhook", "add", "acme", "http://127.0.0.1:9/petrel");
        byte[] mail = "Subject: copied\n\nstill here\n".getBytes(StandardCharsets.UTF_8);
        home.petrelOk(mail, "sendmail", "-f", "alice@acme.test", "dave@remote.test");
        home.petrelOk(mail, "sendmail", "-f", "alice@acme.test", "erin@remote.test");
        home.petrelOk(null, "queue", "hold", home.queueList().getFirst());
        return key.group();
    }

    private static Map<String, String> listings(PetrelHome home) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> command : LISTINGS) {
            out.put(String.join(" ", command), home.petrelOk(null, command.toArray(String[]::new)).stdout());
        }
        return out;
    }

    // the lines "table NAME rows=N" and "queue messages=N"
    private static List<String> counts(Programs.Result copy) {
        return copy.stdout().lines().filter(l -> l.startsWith("table ") || l.startsWith("queue ")).toList();
    }

    private static long feedLast(PetrelHome home) throws Exception {
        try (JournalQueueStore queue = JournalQueueStore.open(home.queueDir(), java.time.Clock.systemUTC(),
                new SecureRandom(), JournalQueueStore.DEFAULT_SEGMENT_SIZE)) {
            return queue.last();
        }
    }

    private static int events(ServerProcess server, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("http")
                + "/v1/events")).header("Authorization", "Bearer " + key).GET().build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
