package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.petrel.mail.QueueId;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STYLE.md's promise that {@code kill -9} under load loses nothing that was accepted. Twenty clients send
 * unique random messages to a real server process, which is killed with SIGKILL while they are in the middle
 * of transactions, then started again on the same data folder; several rounds, one data folder. After each
 * restart every message ever acknowledged with 250 must be in the queue under the id it was given, ending in
 * exactly the bytes the client sent; nothing in the queue may be damaged or partial.
 */
class CrashRecoveryTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final int ROUNDS = 4;
    private static final int CLIENTS = 20;
    /** At most this many messages per client per round, so a fast machine does not fill the disk. */
    private static final int MAX_MESSAGES_PER_CLIENT = 250;
    /** The load runs at least this long, and until the first acknowledgements, before the kill. */
    private static final Duration LOAD = Duration.ofMillis(1500);
    /** Whatever happens, the clients of a round stop after this. */
    private static final Duration ROUND_LIMIT = Duration.ofSeconds(40);
    private static final int MIN_ACKNOWLEDGED_BEFORE_KILL = 20;
    private static final int SIGKILL_STATUS = 128 + 9;
    // the server's Authentication-Results and one Received field, folded with tabs: all it may put first
    private static final Pattern RECEIVED = Pattern.compile(PetrelHome.RESULTS + "Received: from load\\.e2e\\.test \\(\\[127\\.0\\.0\\.1\\]\\)\r\n(\t[^\r\n]*\r\n)+");
    private static final Pattern TOKEN = Pattern.compile("\r\nX-E2E-Id: ([0-9a-f-]{36})\r\n");

    private ServerProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigkillUnderLoadLosesNoAcknowledgedMessageOverSeveralRestarts() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("crash"));
        home.addUser("alice@localhost", "alice-secret");
        LoadClient.Book book = new LoadClient.Book();
        List<String> report = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            server = home.start();
            if (round > 1) {
                report.add(verify(home, book, round - 1));
            }
            int before = book.acknowledged.size();
            int inFlight = loadAndKill(book, round);
            report.add(String.format("round %d: %d message(s) acknowledged before SIGKILL (%d in total),"
                            + " %d client(s) waiting for the reply to their final dot at the kill",
                    round, book.acknowledged.size() - before, book.acknowledged.size(), inFlight));
            assertAcknowledgedSurviveWithoutRecovery(home, book);
            // each message's queued event is written with it: none lost, none reported that the queue never had
            FeedCheck feed = FeedCheck.read(home.queueDir());
            feed.assertQueued(book.acknowledged.keySet());
            feed.assertNoEventWithoutItsMessage();
        }
        server = home.start();
        report.add(verify(home, book, ROUNDS));
        server.stop();
        report.forEach(line -> System.out.println("crash test: " + line));
        Files.write(home.dir().resolve("crash-report.txt"), report);
    }

    /** Runs the clients until they have been busy a while, then kills the server under them; returns the in-flight count. */
    private int loadAndKill(LoadClient.Book book, int round) throws Exception {
        book.killed.set(false);
        book.stop.set(false);
        InetSocketAddress mx = new InetSocketAddress("127.0.0.1", server.port("mx"));
        long deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            LoadClient client = new LoadClient(mx, book, round, MAX_MESSAGES_PER_CLIENT, deadline, round * 1000L + i);
            clients.add(Thread.ofPlatform().name("load-" + round + "-" + i).daemon(true).start(client));
        }
        int acknowledgedBefore = book.acknowledged.size();
        long started = System.nanoTime();
        Poll.until(ROUND_LIMIT, MIN_ACKNOWLEDGED_BEFORE_KILL + " acknowledgements and " + LOAD + " of load", () -> {
            assertNoUnexpected(book);
            boolean enough = book.acknowledged.size() - acknowledgedBefore >= MIN_ACKNOWLEDGED_BEFORE_KILL;
            return enough && System.nanoTime() - started >= LOAD.toNanos() ? true : null;
        });
        // kill while some client has sent its final dot and waits for the verdict
        Poll.until(Duration.ofSeconds(10), "a client waiting for its reply",
                () -> book.awaitingReply.get() > 0 ? true : null);
        book.killed.set(true);
        int inFlight = book.awaitingReply.get();
        int status = server.killHard();
        assertEquals(SIGKILL_STATUS, status, "the server was not ended by SIGKILL");
        book.stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(30));
            assertTrue(!t.isAlive(), t.getName() + " did not stop within 30 s of the kill");
        }
        assertNoUnexpected(book);
        return inFlight;
    }

    private static void assertNoUnexpected(LoadClient.Book book) {
        assertTrue(book.unexpected.isEmpty(), "the server misbehaved before the kill: " + book.unexpected);
    }

    /** Even before the restart recovers it, the journal a SIGKILL left lists every acknowledged message. */
    private static void assertAcknowledgedSurviveWithoutRecovery(PetrelHome home, LoadClient.Book book) throws IOException {
        Set<String> listed = ids(home.snapshot());
        assertAllAcknowledgedListed(book, listed, "the journal as the SIGKILL left it");
    }

    private static void assertAllAcknowledgedListed(LoadClient.Book book, Set<String> listed, String where) {
        Set<String> missing = new TreeSet<>(book.acknowledged.keySet());
        missing.removeAll(listed);
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged message(s) missing from " + where + ", among them "
                + missing.stream().limit(10).toList());
    }

    /**
     * With the restarted server running: its command line lists the queue, every acknowledged message is there
     * with the bytes its client sent, and every message there, acknowledged or not, is whole.
     */
    private String verify(PetrelHome home, LoadClient.Book book, int round) throws Exception {
        List<QueuedMessage> snapshot = home.snapshot();
        Set<String> listed = ids(snapshot);
        assertEquals(snapshot.size(), server.queuedAtStart(), "the restarted server's count differs from the files'");
        List<String> cliIds = home.queueList();
        assertEquals(listed, new HashSet<>(cliIds), "petrel queue list differs from the journal's snapshot");
        assertEquals(cliIds.size(), listed.size(), "petrel queue list names a message twice");
        assertAllAcknowledgedListed(book, listed, "the queue after restart " + round);
        Map<String, StoredMessage> contents = readAll(home, listed, round);
        int unacknowledgedButQueued = 0;
        for (Map.Entry<String, StoredMessage> e : contents.entrySet()) {
            LoadClient.Sent sent = assertWhole(book, e.getKey(), e.getValue());
            LoadClient.Sent acknowledged = book.acknowledged.get(e.getKey());
            if (acknowledged == null) {
                unacknowledgedButQueued++;
            } else {
                assertEquals(acknowledged.token(), sent.token(), "queue id " + e.getKey() + " holds another message");
            }
        }
        crossCheckWithSnapshotRead(home, contents);
        return String.format("restart %d: %d message(s) in the queue, all %d acknowledged verified byte for byte,"
                        + " %d unacknowledged message(s) queued whole", round, listed.size(), book.acknowledged.size(),
                unacknowledgedButQueued);
    }

    /**
     * Every listed message read back through the store's own record reader (checksum and all). A full scan per
     * message would take minutes, so it reads a copy of the idle server's queue folder, opened as a store.
     */
    private static Map<String, StoredMessage> readAll(PetrelHome home, Set<String> listed, int round) throws IOException {
        Path copy = home.dir().resolve("queue-copy-" + round);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(home.queueDir())) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Map<String, StoredMessage> out = new HashMap<>();
        try (JournalQueueStore store = JournalQueueStore.open(copy, Clock.systemUTC(), new SecureRandom(),
                JournalQueueStore.DEFAULT_SEGMENT_SIZE)) {
            assertEquals(listed, ids(store.list()), "the copy of the queue lists other messages");
            for (String id : listed) {
                out.put(id, store.read(new QueueId(id)).orElseThrow(() -> new AssertionError("cannot read " + id)));
            }
        }
        return out;
    }

    /** A queued message is one that a client sent, whole: its trace header, then every byte of it. */
    private static LoadClient.Sent assertWhole(LoadClient.Book book, String id, StoredMessage stored) {
        byte[] content = stored.content();
        assertEquals(content.length, stored.message().size(), id + ": size and content disagree");
        String text = new String(content, StandardCharsets.US_ASCII);
        Matcher token = TOKEN.matcher(text);
        if (!token.find()) {
            return fail(id + " is not a message of this test, or is damaged:\n" + text);
        }
        LoadClient.Sent sent = book.attempted.get(token.group(1));
        assertTrue(sent != null, id + " holds message " + token.group(1) + ", which no client sent");
        assertTrue(content.length > sent.length(), id + " is shorter than the message sent");
        byte[] tail = Arrays.copyOfRange(content, content.length - sent.length(), content.length);
        assertEquals(sent.sha256(), LoadClient.sha256(tail), id + " does not end with the bytes its client sent");
        String trace = text.substring(0, content.length - sent.length());
        assertTrue(RECEIVED.matcher(trace).matches() && trace.contains("\tby " + PetrelHome.HOSTNAME
                        + " (Petrel) with ESMTP id " + id + "\r\n"),
                id + ": what precedes the message is not exactly the server's Received header:\n" + trace);
        return sent;
    }

    /** The live queue, read the way {@code petrel queue show} reads it, agrees with the copy. */
    private static void crossCheckWithSnapshotRead(PetrelHome home, Map<String, StoredMessage> contents) throws Exception {
        List<String> ids = new ArrayList<>(new TreeSet<>(contents.keySet()));
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += Math.max(1, ids.size() / 8)) {
            sample.add(ids.get(i));
        }
        if (!ids.isEmpty()) {
            sample.add(ids.getLast());
        }
        for (String id : sample) {
            byte[] live = home.readPresent(id).content();
            assertTrue(Arrays.equals(contents.get(id).content(), live), id + " reads differently from the live queue");
        }
        String last = ids.getLast();
        Programs.Result shown = home.petrelOk(null, "queue", "show", last);
        String content = new String(contents.get(last).content(), StandardCharsets.US_ASCII);
        assertTrue(shown.stdout().startsWith("id: " + last + "\n") && shown.stdout().endsWith("\n\n" + content),
                "petrel queue show " + last + " does not print the message\n" + shown.describe());
    }

    private static Set<String> ids(List<QueuedMessage> messages) {
        Set<String> out = new HashSet<>();
        for (QueuedMessage m : messages) {
            out.add(m.id().value());
        }
        return out;
    }
}
