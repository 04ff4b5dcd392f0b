package dev.petrel.bounce;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The two encodings that carry DSN parameters in 7-bit text: RFC 3461 4 xtext (ENVID, ORCPT) and RFC 6533 3
 * utf-8-addr-xtext (a UTF-8 address in an ASCII delivery-status field).
 */
final class Xtext {

    private Xtext() {}

    /**
     * Decodes RFC 3461 xtext ({@code "+" 2HEXDIG} stands for one octet). Empty when the text is not xtext or
     * decodes to something a DSN field cannot carry: RFC 3461 4.4 requires the decoded ENVID to be printable
     * US-ASCII "due to limitations in the Delivery Status Notification format", and so is kept an ORCPT.
     */
    static Optional<String> decodePrintable(String xtext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(xtext.charAt(i + 1), 16);
                int lo = Character.digit(xtext.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        String decoded = out.toString(StandardCharsets.ISO_8859_1);
        return isPrintableAscii(decoded) ? Optional.of(decoded) : Optional.empty();
    }

    // printable (graphic and space) US-ASCII, as RFC 3461 4.4 puts it
    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 6533 3: utf-8-addr-xtext = 1*(QCHAR / EmbeddedUnicodeChar); QCHAR is printable ASCII except "+",
     * "=" and "\"; anything else is {@code \x{HEXPOINT}}, upper-case hex without leading zeros, at least two
     * digits.
     */
    static String encodeUtf8Address(String address) {
        StringBuilder out = new StringBuilder();
        address.codePoints().forEach(cp -> {
            boolean qchar = cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\';
            if (qchar) {
                out.appendCodePoint(cp);
            } else {
                String hex = Integer.toHexString(cp).toUpperCase(Locale.ROOT);
                out.append("\\x{").append(hex.length() < 2 ? "0" + hex : hex).append('}');
            }
        });
        return out.toString();
    }
}
