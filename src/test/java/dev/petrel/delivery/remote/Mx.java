package dev.petrel.delivery.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/** A scripted MX that follows RFC 5321 and fails where it is told to: the script most tests use. */
final class Mx implements ScriptedPeer.Script {

    String greeting = "220 mx.dest.test ESMTP scripted";
    List<String> extensions = new ArrayList<>(List.of("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"));
    /** Listed in EHLO only once the session is under TLS, as REQUIRETLS is (RFC 8689 2). */
    List<String> tlsExtensions = new ArrayList<>();
    /** Offers STARTTLS with this context; null: STARTTLS is not offered. */
    SSLContext tls;
    /** After 220 to STARTTLS, reads the ClientHello and answers garbage. */
    boolean brokenTls;
    Function<String, String> rcpt = address -> "250 2.1.5 Ok";
    Duration delayMail = Duration.ZERO;
    boolean dropInData;
    /** After 354, reads nothing more for this long, then hangs up: a server that stops reading. */
    Duration stallInData = Duration.ZERO;
    /** Closes the connection after each message, without waiting for QUIT (as an idle timeout would). */
    boolean hangUpAfterMessage;
    String finalReply = "250 2.0.0 Ok: queued";
    /** "CLIENT-ADDRESS EHLO-NAME" of each EHLO, in order. */
    final List<String> greeted = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final ScriptedPeer[] owner = new ScriptedPeer[1];

    Mx bind(ScriptedPeer peer) {
        owner[0] = peer;
        return this;
    }

    @Override
    public void run(ScriptedPeer.Conn conn) throws Exception {
        conn.send(greeting);
        if (!greeting.startsWith("220")) {
            conn.line();
            return;
        }
        String from = null;
        List<String> to = new ArrayList<>();
        while (true) {
            String line = conn.line();
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> {
                    greeted.add(conn.client() + " " + line.substring(5));
                    ehlo(conn);
                }
                case "HELO" -> conn.send("250 mx.dest.test");
                case "STARTTLS" -> {
                    conn.send("220 2.0.0 Ready to start TLS");
                    if (brokenTls) {
                        conn.readSome();
                        conn.raw("this is not TLS at all\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        return;
                    }
                    conn.startTls(tls);
                }
                case "MAIL" -> {
                    Thread.sleep(delayMail);
                    from = between(line);
                    to.clear();
                    conn.send("250 2.1.0 Ok");
                }
                case "RCPT" -> {
                    String reply = rcpt.apply(between(line));
                    if (reply.startsWith("2")) {
                        to.add(between(line));
                    }
                    conn.send(reply);
                }
                case "DATA" -> {
                    conn.send("354 End data with <CR><LF>.<CR><LF>");
                    if (!stallInData.isZero()) {
                        Thread.sleep(stallInData);
                        return;
                    }
                    if (dropInData) {
                        conn.readSome();
                        return;
                    }
                    byte[] content = conn.data();
                    if (finalReply.startsWith("2")) {
                        owner[0].received.add(new ScriptedPeer.Received(from, List.copyOf(to), content, conn.tls(), conn.number));
                    }
                    conn.send(finalReply);
                    if (hangUpAfterMessage) {
                        return;
                    }
                }
                case "RSET", "NOOP" -> conn.send("250 2.0.0 Ok");
                case "QUIT" -> {
                    conn.send("221 2.0.0 Bye");
                    return;
                }
                default -> conn.send("502 5.5.2 Error: command not recognized");
            }
        }
    }

    private void ehlo(ScriptedPeer.Conn conn) throws java.io.IOException {
        List<String> lines = new ArrayList<>(List.of("mx.dest.test"));
        lines.addAll(extensions);
        if (conn.tls()) {
            lines.addAll(tlsExtensions);
        }
        if (tls != null && !conn.tls()) {
            lines.add("STARTTLS");
        }
        String[] out = new String[lines.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = "250" + (i == out.length - 1 ? " " : "-") + lines.get(i);
        }
        conn.send(out);
    }

    private static String between(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open);
        return open < 0 || close < 0 ? "" : line.substring(open + 1, close);
    }
}
