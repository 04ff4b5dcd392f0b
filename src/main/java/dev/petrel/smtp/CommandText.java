package dev.petrel.smtp;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.ReversePath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reading what a command line carries: its text (RFC 5321 2.4, RFC 6531) and the paths of MAIL and RCPT. */
final class CommandText {

    // RFC 5321 4.5.3.1.3: a path is at most 256 octets
    private static final int MAX_PATH = 256;

    private CommandText() {}

    static String decode(byte[] raw) throws Refusal {
        for (byte b : raw) {
            if (b == 0) {
                throw new Refusal(500, EnhancedStatus.SYNTAX_ERROR, "NUL character not allowed");
            }
            if (b == '\r') {
                // RFC 5321 2.3.8: CR and LF MUST only occur together as CRLF; a bare CR inside a command would
                // otherwise reach replies that echo the argument (EHLO), whose text may not hold one
                throw new Refusal(500, EnhancedStatus.SYNTAX_ERROR, "Bare CR not allowed in a command");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new Refusal(500, EnhancedStatus.SYNTAX_ERROR, "Invalid UTF-8 in command");
        }
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    static ReversePath parseReversePath(String path, boolean utf8) throws Refusal {
        if (path.isEmpty()) {
            return ReversePath.NULL;
        }
        return ReversePath.of(parseMailbox(path, utf8, EnhancedStatus.BAD_SENDER_SYNTAX, "sender"));
    }

    static Address parseMailbox(String path, boolean utf8, EnhancedStatus syntaxStatus, String what) throws Refusal {
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new Refusal(501, syntaxStatus, "Bad " + what + " address: too long");
        }
        if (!utf8 && !isAscii(path)) {
            // RFC 6531 3.7.4.1: 553 5.6.7 for a non-ASCII address without SMTPUTF8
            throw new Refusal(553, EnhancedStatus.NON_ASCII_NOT_PERMITTED, "Non-ASCII address needs SMTPUTF8");
        }
        try {
            return Address.parse(stripSourceRoute(path), utf8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(501, syntaxStatus, "Bad " + what + " address syntax");
        }
    }

    // RFC 5321 4.1.1.3 and C: a source route "@a,@b:" is accepted and ignored
    private static String stripSourceRoute(String path) throws IllegalArgumentException {
        if (!path.startsWith("@")) {
            return path;
        }
        int colon = path.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("source route without mailbox");
        }
        for (String hop : path.substring(0, colon).split(",", -1)) {
            if (!hop.startsWith("@")) {
                throw new IllegalArgumentException("bad source route");
            }
            Domain.parse(hop.substring(1));
        }
        return path.substring(colon + 1);
    }

}
