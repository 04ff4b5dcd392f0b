package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code kill -9} while Petrel writes into a Maildir: no half-written message is ever visible in {@code new/}
 * (Maildir: written in {@code tmp/}, synced, then renamed), and after the restart every acknowledged message
 * reaches the mailbox whole. Delivery is at least once: a message renamed into {@code new/} just before the kill,
 * whose completion the queue had not yet recorded, is delivered again, as with Postfix.
 */
class MaildirCrashTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String RECIPIENT = "alice@box.e2e.test";
    private static final int ROUNDS = 3;
    private static final int CLIENTS = 10;
    private static final int MAX_MESSAGES_PER_CLIENT = 200;
    private static final Duration ROUND_LIMIT = Duration.ofSeconds(40);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    private static final int MIN_DELIVERED_BEFORE_KILL = 30;
    private static final Pattern TOKEN = Pattern.compile("\r\nX-E2E-Id: ([0-9a-f-]{36})\r\n");

    private ServerProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigkillDuringMaildirDeliveriesLeavesOnlyWholeMessagesInNewAndLosesNone() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("maildir-crash"));
        home.petrelOk(null, "domain", "add", "box.e2e.test", "--local");
        home.addUser(RECIPIENT, "recipient-secret");
        Path mailbox = home.dir().resolve("data/mail/box.e2e.test/alice");
        LoadClient.Book book = new LoadClient.Book();
        List<String> report = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            server = home.start();
            int before = files(mailbox.resolve("new")).size();
            loadAndKill(book, round, mailbox, before);
            Map<String, Integer> seen = assertOnlyWholeMessages(book, mailbox);
            FeedCheck feed = FeedCheck.read(home.queueDir());
            feed.assertQueued(book.acknowledged.keySet());
            feed.assertNoEventWithoutItsMessage();
            report.add(String.format("round %d: killed with %d message(s) in new/, %d left in tmp/, %d acknowledged",
                    round, seen.values().stream().mapToInt(Integer::intValue).sum(), files(mailbox.resolve("tmp")).size(),
                    book.acknowledged.size()));
        }
        server = home.start();
        Poll.until(DRAIN_LIMIT, "the queue to empty after the last restart", () -> home.snapshot().isEmpty() ? true : null);
        Map<String, Integer> seen = assertOnlyWholeMessages(book, mailbox);
        TreeSet<String> missing = new TreeSet<>();
        book.acknowledged.values().forEach(sent -> {
            if (!seen.containsKey(sent.token())) {
                missing.add(sent.token());
            }
        });
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged message(s) never reached the mailbox: "
                + missing.stream().limit(10).toList());
        long twice = seen.values().stream().filter(n -> n > 1).count();
        report.add(String.format("after the restarts: all %d acknowledged messages in new/, %d delivered twice",
                book.acknowledged.size(), twice));
        server.stop();
        // every message now in the mailbox was delivered at least once since it was queued: its event is there
        FeedCheck feed = FeedCheck.read(home.queueDir());
        feed.assertQueued(book.acknowledged.keySet());
        feed.assertNoEventWithoutItsMessage();
        feed.assertDelivered(book.acknowledged.keySet());
        report.add(String.format("the event feed: %d events, every acknowledged message queued and delivered in it",
                feed.events.size()));
        report.forEach(line -> System.out.println("maildir crash test: " + line));
    }

    private void loadAndKill(LoadClient.Book book, int round, Path mailbox, int before) throws Exception {
        book.killed.set(false);
        book.stop.set(false);
        InetSocketAddress mx = new InetSocketAddress("127.0.0.1", server.port("mx"));
        long deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            LoadClient client = new LoadClient(mx, book, round, MAX_MESSAGES_PER_CLIENT, deadline, round * 1000L + i,
                    RECIPIENT);
            clients.add(Thread.ofPlatform().name("maildir-load-" + round + "-" + i).daemon(true).start(client));
        }
        // kill once deliveries are flowing while mail still arrives, so some are in the middle of theirs
        Poll.until(ROUND_LIMIT, MIN_DELIVERED_BEFORE_KILL + " new deliveries", () -> {
            assertTrue(book.unexpected.isEmpty(), "the server misbehaved before the kill: " + book.unexpected);
            return files(mailbox.resolve("new")).size() - before >= MIN_DELIVERED_BEFORE_KILL ? true : null;
        });
        book.killed.set(true);
        assertEquals(128 + 9, server.killHard(), "the server was not ended by SIGKILL");
        book.stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(30));
            assertTrue(!t.isAlive(), t.getName() + " did not stop within 30 s of the kill");
        }
    }

    /** Every file in new/ is one message a client sent, whole, after the delivery's trace headers; by token, how often. */
    private static Map<String, Integer> assertOnlyWholeMessages(LoadClient.Book book, Path mailbox) throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        for (Path file : files(mailbox.resolve("new"))) {
            // Maildir files have LF line ends; the client sent CRLF
            String text = Files.readString(file, StandardCharsets.US_ASCII).replace("\n", "\r\n");
            Matcher token = TOKEN.matcher(text);
            if (!token.find()) {
                fail(file + " is not a whole message of this test:\n" + text);
            }
            LoadClient.Sent sent = book.attempted.get(token.group(1));
            assertTrue(sent != null, file + " holds a message no client sent");
            byte[] content = text.getBytes(StandardCharsets.US_ASCII);
            assertTrue(content.length > sent.length(), file + " is shorter than the message sent");
            byte[] tail = Arrays.copyOfRange(content, content.length - sent.length(), content.length);
            assertEquals(sent.sha256(), LoadClient.sha256(tail), file + " does not end with the bytes its client sent");
            assertTrue(text.matches("(?s)Return-Path: <load@remote\\.test>\r\nDelivered-To: " + Pattern.quote(RECIPIENT)
                            + "\r\n" + PetrelHome.RESULTS + "Received: .*"),
                    file + " does not start with the delivery's trace headers");
            seen.merge(sent.token(), 1, Integer::sum);
        }
        return seen;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
