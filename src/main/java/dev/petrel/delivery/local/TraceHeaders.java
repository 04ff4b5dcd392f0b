package dev.petrel.delivery.local;

import dev.petrel.mail.Address;
import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
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
        for (HeaderField f : HeaderSection.read(content).all("Delivered-To")) {
            out.add(f.unfoldedValue().strip().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
