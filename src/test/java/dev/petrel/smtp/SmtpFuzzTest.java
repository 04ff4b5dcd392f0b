package dev.petrel.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.mail.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Jazzer fuzz tests of what an SMTP client sends to the server: ESMTP parameters, DATA content, AUTH
 * exchanges and whole sessions. In package {@code dev.petrel.smtp} because {@link Parameters},
 * {@link AuthDialogue} and {@link Refusal} are package-private. {@code bin/test} runs each on its seed inputs
 * (src/test/resources/dev/petrel/smtp/SmtpFuzzTestInputs/); {@code bench/fuzz TARGET SECONDS} fuzzes one.
 * Correct means: the documented refusal ({@link Refusal}) or a value, never another exception, and every reply
 * renders as a valid SMTP reply.
 */
class SmtpFuzzTest {

    private static final SessionSettings SETTINGS = new SessionSettings("mx.example.com", true, true, false, 4096, 5, 20);

    /** MAIL and RCPT parameters (RFC 5321 4.1.2) parse or are refused with a Refusal; nothing else escapes. */
    @FuzzTest(maxDuration = "60s")
    void mailAndRcptParametersParseOrAreRefused(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Parameters.Mail m = Parameters.parseMail(text, true);
            if (m.size() < -1) {
                throw new AssertionError("negative SIZE " + m.size() + " from " + text);
            }
        } catch (Refusal refused) {
            refused.reply().render();
        }
        try {
            Parameters.parseRcpt(text);
        } catch (Refusal refused) {
            refused.reply().render();
        }
    }

    /**
     * DATA decoding: the output has only CRLF line breaks, the end is only CRLF.CRLF, and the result does not
     * depend on how the input is cut into reads (RFC 5321 4.1.1.4, 4.5.2). The input is the raw content after 354.
     */
    @FuzzTest(maxDuration = "60s")
    void dataDecodingIsTheSameHoweverTheInputIsSplit(byte[] input) {
        for (long maxSize : new long[] {Long.MAX_VALUE, 64}) {
            Decoded whole = decode(input, maxSize, input.length);
            for (int piece : new int[] {1, 2, 3, 7}) {
                Decoded split = decode(input, maxSize, piece);
                if (!whole.equals(split)) {
                    throw new AssertionError("input fed " + piece + " octets at a time decodes differently: " + whole
                            + " and " + split);
                }
            }
            checkDecoded(input, whole);
        }
    }

    private static void checkDecoded(byte[] input, Decoded whole) {
        byte[] out = whole.content;
        for (int i = 0; i < out.length; i++) {
            boolean crWithoutLf = out[i] == '\r' && (i + 1 >= out.length || out[i + 1] != '\n');
            boolean lfWithoutCr = out[i] == '\n' && (i == 0 || out[i - 1] != '\r');
            if (crWithoutLf || lfWithoutCr) {
                throw new AssertionError("bare line break in decoded content at " + i);
            }
        }
        if (whole.done) {
            String used = new String(Arrays.copyOf(input, whole.used), StandardCharsets.ISO_8859_1);
            if (!(used.endsWith("\r\n.\r\n") || used.equals(".\r\n"))) {
                throw new AssertionError("data ended without CRLF.CRLF: " + quote(used));
            }
        } else if (whole.used != input.length) {
            throw new AssertionError("unfinished data did not use all input");
        }
        if (!whole.overflowed && whole.size != out.length) {
            throw new AssertionError("size " + whole.size + " but " + out.length + " octets kept");
        }
    }

    private record Decoded(byte[] content, int used, boolean done, boolean overflowed, long size) {
        @Override
        public boolean equals(Object o) {
            // past the limit the message is refused whole (552), so what was kept of it does not matter
            return o instanceof Decoded d && (overflowed || Arrays.equals(content, d.content)) && used == d.used
                    && done == d.done
                    && overflowed == d.overflowed && size == d.size;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "used=" + used + " done=" + done + " overflow=" + overflowed + " size=" + size + " content="
                    + quote(new String(content, StandardCharsets.ISO_8859_1));
        }
    }

    private static Decoded decode(byte[] input, long maxSize, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(maxSize, out::write);
        int at = 0;
        while (at < input.length && !decoder.isDone()) {
            int n = Math.min(Math.max(piece, 1), input.length - at);
            int used = decoder.feed(input, at, n);
            if (used > n || used < 0) {
                throw new AssertionError("feed used " + used + " of " + n);
            }
            if (used < n && !decoder.isDone()) {
                throw new AssertionError("feed stopped early without the end of data");
            }
            at += used;
        }
        return new Decoded(out.toByteArray(), at, decoder.isDone(), decoder.overflowed(), decoder.size());
    }

    /**
     * One AUTH exchange (RFC 4954) with arbitrary client responses. The input is lines: the mechanism and an
     * optional initial response, then one response per line. It ends in a challenge, a failure or a success, and
     * succeeds only for the one known user.
     */
    @FuzzTest(maxDuration = "60s")
    void authExchangesSucceedOnlyForTheKnownUser(byte[] input) {
        String[] lines = new String(input, StandardCharsets.US_ASCII).split("\r?\n", -1);
        String[] first = lines[0].strip().split(" +", 2);
        FakeAuthenticator accounts = new FakeAuthenticator().with("alice@example.com", "secret");
        AuthDialogue dialogue;
        try {
            dialogue = AuthDialogue.start(first[0].toUpperCase(java.util.Locale.ROOT), accounts, new Random(7));
        } catch (Refusal refused) {
            refused.reply().render();
            return;
        }
        AuthDialogue.Step step = dialogue.begin(first.length == 2 ? first[1] : null);
        for (int i = 1; i < lines.length && step instanceof AuthDialogue.Step.Challenge c; i++) {
            Reply.plain(334, c.text());
            step = dialogue.respond(lines[i].strip());
        }
        if (step instanceof AuthDialogue.Step.Success s && !s.username().equals("alice@example.com")) {
            throw new AssertionError("AUTH " + first[0] + " succeeded for " + s.username());
        }
        if (step instanceof AuthDialogue.Step.Failure f) {
            f.reply().render();
        }
    }

    /**
     * A whole server session fed what a client sends, read as {@code server.LineInput} reads it: lines end at LF
     * (a CR before it is dropped), a line over 1000 octets is too long, content after 354 and BDAT chunks go
     * to the session as content, and STARTTLS is taken as a handshake that succeeded. Every reply is a valid SMTP
     * reply and nothing throws.
     */
    @FuzzTest(maxDuration = "120s")
    void sessionsAnswerAnyClientInputWithValidReplies(byte[] input) {
        RecordingHooks hooks = new RecordingHooks();
        ServerSession session = new ServerSession(SETTINGS, hooks, new Random(3), "192.0.2.1");
        Response response = check(session.greet());
        int at = 0;
        while (at < input.length && response.action() != Response.Action.CLOSE) {
            switch (response.action()) {
                case START_TLS -> session.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
                case READ_DATA -> {
                    at += session.receiveData(input, at, input.length - at);
                    if (!session.dataComplete()) {
                        return; // the client has not finished its message
                    }
                    response = check(session.finishData());
                    continue;
                }
                case READ_CHUNK -> {
                    long pending = session.pendingChunkSize();
                    if (pending > input.length - at) {
                        return; // the connection would wait for the rest of the chunk
                    }
                    session.receiveChunk(input, at, (int) pending);
                    at += (int) pending;
                    response = check(session.finishChunk());
                    continue;
                }
                default -> { }
            }
            int lf = at;
            while (lf < input.length && input[lf] != '\n') {
                lf++;
            }
            if (lf == input.length) {
                return; // a line without its end: the connection would wait for it
            }
            int end = lf > at && input[lf - 1] == '\r' ? lf - 1 : lf;
            if (lf - at > MAX_LINE) {
                response = check(session.onLineTooLong());
            } else {
                response = check(session.onLine(Arrays.copyOfRange(input, at, end)));
            }
            at = lf + 1;
            session.info();
            session.phase();
        }
    }

    private static final int MAX_LINE = 1000;

    private static Response check(Response response) {
        for (Reply reply : response.replies()) {
            // RFC 5321 4.2: a reply is a code and text lines without CR or LF (Reply's constructor checks)
            reply.render();
        }
        return response;
    }

    static String quote(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
