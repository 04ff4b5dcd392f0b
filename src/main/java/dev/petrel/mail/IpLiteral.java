package dev.petrel.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 and IPv6 addresses written as literals, read without a DNS lookup. */
public final class IpLiteral {

    private IpLiteral() {}

    /**
     * The address {@code text} writes; IllegalArgumentException when it is not a literal. An IPv6 literal has a
     * colon, an IPv4 one four dotted numbers: "cafe.be" is a name, and "192.168" is not the BSD shorthand of
     * 192.0.0.168.
     */
    public static InetAddress parse(String text) {
        boolean literal = text.contains(":")
                ? text.matches("[0-9a-fA-F:.]+")
                : text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!literal) {
            // only literals: a name here would need a DNS lookup
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
