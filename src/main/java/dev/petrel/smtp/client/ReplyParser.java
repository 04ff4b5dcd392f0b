package dev.petrel.smtp.client;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gathers a server's reply lines into {@link Reply} values (RFC 5321 4.2): {@code 250-} continues, {@code 250 }
 * ends. An enhanced status code that starts the text (RFC 2034 4) is taken out of it whether or not the server
 * advertised ENHANCEDSTATUSCODES, as Postfix's SMTP client does: many servers that never say so send one, and
 * {@code 550 5.1.1 No such user} is worth more than {@code 5.0.0}. The driver reads the lines, decodes them (UTF-8)
 * and strips the CRLF; it also bounds their length (RFC 5321 4.5.3.1.5: 512 octets).
 */
public final class ReplyParser {

    /** More lines than any real reply has (an EHLO reply has a score): a server that never ends its reply is broken. */
    public static final int MAX_LINES = 256;

    // RFC 3463 2: status-code = class "." subject "." detail; subject and detail are 1 to 3 digits
    private static final Pattern STATUS = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?: |$)");

    private final List<String> lines = new ArrayList<>();
    private int code;

    /** What one line made of the reply so far. */
    public sealed interface Parsed {
        /** The reply goes on: read another line. */
        record Partial() implements Parsed {}

        record Complete(Reply reply) implements Parsed {}

        /** Not an SMTP reply line: the conversation cannot go on. */
        record Malformed(String problem) implements Parsed {}
    }

    /** True when the lines so far are the start of a multi-line reply. */
    public boolean inReply() {
        return !lines.isEmpty();
    }

    public Parsed feed(String line) {
        String problem = problem(line);
        if (problem != null) {
            lines.clear();
            return new Parsed.Malformed(problem);
        }
        int lineCode = Integer.parseInt(line.substring(0, 3));
        if (!lines.isEmpty() && lineCode != code) {
            // RFC 5321 4.2.1: every line of a multi-line reply has the same code
            lines.clear();
            return new Parsed.Malformed("reply code changed from " + code + " to " + lineCode + " within a reply");
        }
        code = lineCode;
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (line.length() > 3 && line.charAt(3) == '-') {
            if (lines.size() >= MAX_LINES) {
                lines.clear();
                return new Parsed.Malformed("reply longer than " + MAX_LINES + " lines");
            }
            return new Parsed.Partial();
        }
        Reply reply = build();
        lines.clear();
        return new Parsed.Complete(reply);
    }

    // RFC 5321 4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF,
    // Reply-code = %x32-35 %x30-35 %x30-39
    private static String problem(String line) {
        if (line.length() < 3) {
            return "reply line too short: " + quote(line);
        }
        char first = line.charAt(0);
        if (first < '2' || first > '5' || !isDigit(line.charAt(1)) || !isDigit(line.charAt(2))) {
            return "not a reply code: " + quote(line);
        }
        if (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
            return "no space or hyphen after the reply code: " + quote(line);
        }
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            return "CR or LF inside a reply line: " + quote(line);
        }
        return null;
    }

    private Reply build() {
        EnhancedStatus status = leadingStatus(lines.getFirst());
        if (status == null) {
            return new Reply(code, null, lines);
        }
        // the code is repeated on each line (RFC 2034 4); Reply renders it on each line again
        String prefix = status.toString();
        List<String> texts = new ArrayList<>(lines.size());
        for (String text : lines) {
            texts.add(stripStatus(text, prefix));
        }
        return new Reply(code, status, texts);
    }

    // RFC 3463 3.1: the class of the status agrees with the first digit of the reply code; a code that does not
    // (or one on a 3xx reply) is text, as Postfix takes it (smtp_chat.c: "out-of-protocol enhanced status codes"),
    // and so are the spaces before it
    private EnhancedStatus leadingStatus(String text) {
        Matcher m = STATUS.matcher(text.stripLeading());
        if (!m.lookingAt() || m.group(1).charAt(0) - '0' != code / 100) {
            return null;
        }
        return new EnhancedStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    private static String stripStatus(String text, String prefix) {
        String t = text.stripLeading();
        if (t.equals(prefix)) {
            return "";
        }
        return t.startsWith(prefix + " ") ? t.substring(prefix.length() + 1) : text;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // a server's text goes into our own reply: keep it short and printable
    static String quote(String line) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < line.length() && i < 60; i++) {
            char c = line.charAt(i);
            out.append(c < 32 || c == 127 ? '?' : c);
        }
        return out.append(line.length() > 60 ? "...\"" : "\"").toString();
    }
}
