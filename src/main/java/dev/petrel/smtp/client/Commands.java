package dev.petrel.smtp.client;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** The MAIL and RCPT command lines, with only the parameters the server advertised. */
final class Commands {

    private Commands() {}

    // RFC 5321 4.1.1.2: "MAIL FROM:" Reverse-path [SP Mail-parameters]
    static String mail(Transaction transaction, long size, Extensions extensions) {
        Envelope envelope = transaction.envelope();
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(envelope.reversePath()).append('>');
        if (extensions.size()) {
            // RFC 1870 5: the size of the message as it will be sent, before dot-stuffing
            line.append(" SIZE=").append(size);
        }
        if (transaction.eightBit() && extensions.eightBitMime()) {
            // RFC 6152 3. Without 8BITMIME the content goes as it is: downgrading to 7 bit is not done.
            // BINARYMIME is never advertised by Petrel's server, so it does not arrive to be relayed.
            line.append(" BODY=8BITMIME");
        }
        if (transaction.needsSmtpUtf8()) {
            // RFC 6531 3.4; the session never gets here when the server lacks SMTPUTF8
            line.append(" SMTPUTF8");
        }
        if (extensions.dsn()) {
            appendDsn(line, envelope);
        }
        if (envelope.requireTls() && extensions.requireTls()) {
            // RFC 8689 4.2.1; a tagged notification (null path) too, where the server offers it (RFC 8689 5)
            line.append(" REQUIRETLS");
        }
        return line.toString();
    }

    // RFC 3461 4.3 RET and 4.4 ENVID, only to a server that listed DSN
    private static void appendDsn(StringBuilder line, Envelope envelope) {
        if (envelope.ret() != Envelope.Ret.NONE) {
            line.append(" RET=").append(envelope.ret().name());
        }
        if (envelope.envid() != null) {
            line.append(" ENVID=").append(xtext(envelope.envid()));
        }
    }

    // RFC 5321 4.1.1.3: "RCPT TO:" Forward-path [SP Rcpt-parameters]
    static String rcpt(Recipient recipient, Extensions extensions) {
        StringBuilder line = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        if (extensions.dsn()) {
            if (!recipient.notifyOn().isEmpty()) {
                // RFC 3461 4.1: NEVER alone, or a comma list of SUCCESS, FAILURE, DELAY
                line.append(" NOTIFY=").append(recipient.notifyOn().stream().sorted()
                        .map(Enum::name).collect(Collectors.joining(",")));
            }
            if (recipient.orcpt() != null) {
                line.append(" ORCPT=").append(orcpt(recipient.orcpt()));
            }
        }
        return line.toString();
    }

    // RFC 3461 4.2: addr-type ";" xtext; the server keeps it as received, so it is usually already encoded
    private static String orcpt(String value) {
        int semi = value.indexOf(';');
        if (semi <= 0) {
            return "rfc822;" + xtext(value);
        }
        return value.substring(0, semi) + ";" + xtext(value.substring(semi + 1));
    }

    /**
     * RFC 3461 4: a value that is valid xtext goes as it is (the server keeps ENVID and ORCPT encoded); anything
     * else is encoded, each octet outside "!" to "~", and "+" and "=", as "+" and two upper-case hex digits.
     */
    static String xtext(String value) {
        if (isXtext(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static boolean isXtext(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+') {
                if (i + 2 >= v.length() || !isUpperHex(v.charAt(i + 1)) || !isUpperHex(v.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
