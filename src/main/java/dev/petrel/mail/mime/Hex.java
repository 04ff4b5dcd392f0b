package dev.petrel.mail.mime;

/** Two upper-case hexadecimal digits for an octet, as quoted-printable (RFC 2045 6.7) and RFC 2231 write them. */
final class Hex {

    private static final String DIGITS = "0123456789ABCDEF";

    private Hex() {
    }

    static String upper(int octet) {
        return "" + DIGITS.charAt(octet >> 4) + DIGITS.charAt(octet & 15);
    }
}
