package dev.petrel.smtp.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer fuzz tests of what a remote server sends to Petrel's SMTP client: reply lines, and whole sessions fed
 * arbitrary replies. The input is the server's lines, one per LF. {@code bin/test} runs each on its seed inputs
 * (src/test/resources/dev/petrel/smtp/client/ClientFuzzTestInputs/); {@code bench/fuzz TARGET SECONDS} fuzzes one.
 * Correct means: a reply is complete, partial or malformed (never an exception), every complete reply is a valid
 * one, and a session ends with exactly one outcome per recipient.
 */
class ClientFuzzTest {

    private static final List<String> RECIPIENTS = List.of("a@remote.test", "b@remote.test");

    /** RFC 5321 4.2: reply lines parse into replies or are called malformed. */
    @FuzzTest(maxDuration = "60s")
    void replyLinesParseIntoValidRepliesOrAreMalformed(byte[] input) {
        ReplyParser parser = new ReplyParser();
        for (String line : lines(input)) {
            if (parser.feed(line) instanceof ReplyParser.Parsed.Complete c) {
                Reply reply = c.reply();
                if (!line.startsWith(String.valueOf(reply.code()))) {
                    throw new AssertionError("reply " + reply.code() + " from the line " + line);
                }
                reply.render();
                reply.summary();
            }
        }
    }

    /**
     * A delivery to a server that answers anything: the session asks for what it needs, takes the TLS handshake
     * as succeeding or failing by turns, and ends with one outcome per recipient.
     */
    @FuzzTest(maxDuration = "120s")
    void clientSessionsEndWithAnOutcomePerRecipientWhateverTheServerSays(byte[] input) {
        ClientSession session = new ClientSession(Dialogue.SETTINGS, Dialogue.transaction(RECIPIENTS.toArray(String[]::new)));
        Step step = session.start();
        int handshakes = 0;
        boolean quit = false;
        for (String line : lines(input)) {
            step = switch (step) {
                case Step.Send s -> session.onLine(line);
                case Step.Read r -> session.onLine(line);
                case Step.StartTls t -> handshakes++ % 2 == 0 ? session.tlsStarted() : session.tlsFailed();
                case Step.Ready ready -> {
                    requireOneEach(ready.outcomes());
                    quit = true;
                    yield session.quit();
                }
                case Step.RetryWithoutTls retry -> null; // the driver connects again, with a new session
                case Step.Close close -> {
                    if (!quit && !close.outcomes().isEmpty()) {
                        requireOneEach(close.outcomes());
                    }
                    yield null;
                }
            };
            if (step == null) {
                return;
            }
        }
        session.onConnectionLost();
    }

    private static void requireOneEach(List<RecipientOutcome> outcomes) {
        List<String> got = outcomes.stream().map(o -> o.recipient().address().toString()).toList();
        if (!got.equals(RECIPIENTS)) {
            throw new AssertionError("outcomes for " + got + ", not for " + RECIPIENTS);
        }
    }

    private static String[] lines(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.split("\r?\n", -1);
    }
}
