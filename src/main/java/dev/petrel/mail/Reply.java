package dev.petrel.mail;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An SMTP reply (RFC 5321 4.2): a three-digit code, an enhanced status code (RFC 2034; absent only on
 * the greeting and the EHLO reply) and one or more lines of text.
 */
public record Reply(int code, EnhancedStatus status, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text may not contain CR or LF");
            }
        }
    }

    public static Reply of(int code, EnhancedStatus status, String text) {
        return new Reply(code, status, List.of(text));
    }

    /** A reply without an enhanced status code: the greeting and the EHLO reply (RFC 2034 3). */
    public static Reply plain(int code, String... lines) {
        return new Reply(code, null, List.of(lines));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The text of the first line with its status code, as logs and bounces quote it. */
    public String summary() {
        return code + (status == null ? "" : " " + status) + " " + lines.getFirst();
    }

    /** RFC 5321 4.2.1: every line but the last has a hyphen after the code. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                out.append(status).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    public byte[] toBytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return render().stripTrailing();
    }
}
