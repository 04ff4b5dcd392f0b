package dev.petrel.delivery.local;

import dev.petrel.mail.Address;
import dev.petrel.mail.ReversePath;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The headers a local delivery agent adds, and the ones it reads to find forwarding loops. */
final class TraceHeaders {

    private TraceHeaders() {}

    /**
     * RFC 5321 4.4: the final delivery adds Return-Path with the reverse path; like Postfix's local and Dovecot's
     * LDA, Delivered-To names the recipient, which also marks the message against forwarding loops.
     */
    static byte[] forMailbox(ReversePath sender, Address recipient) {
        return ("Return-Path: <" + sender + ">\r\n" + deliveredTo(recipient)).getBytes(StandardCharsets.UTF_8);
    }

    /** A forwarded copy carries the alias it went through. */
    static byte[] forForward(Address alias) {
        return deliveredTo(alias).getBytes(StandardCharsets.UTF_8);
    }

    private static String deliveredTo(Address recipient) {
        return "Delivered-To: " + recipient + "\r\n";
    }

    /** The addresses of the message's Delivered-To headers, in lower case; only the header section is read. */
    static Set<String> deliveredTo(byte[] content) {
        Set<String> out = new HashSet<>();
        int i = 0;
        while (i < content.length) {
            int end = lineEnd(content, i);
            if (end == i) {
                break; // the empty line that ends the header section
            }
            String line = new String(content, i, end - i, StandardCharsets.UTF_8);
            if (line.regionMatches(true, 0, "Delivered-To:", 0, "Delivered-To:".length())) {
                out.add(line.substring("Delivered-To:".length()).strip().toLowerCase(Locale.ROOT));
            }
            i = next(content, end);
        }
        return out;
    }

    // the end of the line that starts at i, before its CR LF (or LF)
    private static int lineEnd(byte[] b, int i) {
        int j = i;
        while (j < b.length && b[j] != '\n') {
            j++;
        }
        return j > i && b[j - 1] == '\r' ? j - 1 : j;
    }

    private static int next(byte[] b, int end) {
        int j = end;
        if (j < b.length && b[j] == '\r') {
            j++;
        }
        return j < b.length ? j + 1 : j;
    }
}
