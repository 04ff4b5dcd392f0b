package dev.petrel.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Reads the PROXY protocol header (HAProxy's proxy-protocol.txt) a proxy sends before anything else, versions 1
 * (a text line) and 2 (binary), strictly: anything that does not match the protocol exactly is {@link Malformed},
 * and the connection is to be dropped (2.1: "Any sequence which does not exactly match the protocol must be
 * discarded and cause the receiver to abort the connection"). Reads exactly the header's octets and not one
 * more, so that what follows (SMTP, or a TLS handshake) is left on the stream; and gives up at the first octet
 * that cannot start a header, so a client that speaks first is dropped at once. The caller times the reads.
 */
public final class ProxyHeaderReader {

    /** The header does not follow the protocol. */
    public static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    // 2.1: "a 108-byte buffer is always enough to store all the line": 107 octets with the CRLF
    static final int V1_MAX = 107;
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    // 2.2: twelve octets no text protocol starts with, then the version (2) and command octet
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_HEAD = 16;
    /** The longest header: a v2 one whose length field says 65535. */
    public static final int MAX_OCTETS = V2_HEAD + 0xFFFF;
    // 2.1: four decimal numbers from 0 to 255, "Heading zeroes are not permitted"
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    // 2.1: groups of hexadecimal digits with at most one "::" (checked by the parse), 45 octets at most; starting
    // with a digit or a colon and holding a colon, InetAddress takes it for a literal or refuses it, never a name
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");
    private static final Pattern PORT = Pattern.compile("0|[1-9][0-9]{0,4}");

    private ProxyHeaderReader() {}

    /** Reads one header from {@code in}: {@link EOFException} when it ends first, {@link Malformed} when wrong. */
    public static ProxyHeader read(InputStream in) throws IOException {
        int first = next(in);
        if (first == V1_PREFIX[0]) {
            return readV1(in);
        }
        if (first == V2_SIGNATURE[0]) {
            return readV2(in);
        }
        throw new Malformed("no PROXY protocol header");
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside the PROXY protocol header");
        }
        return b;
    }

    // one octet at a time up to the LF: a read further could take the client's first octets
    private static ProxyHeader readV1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX];
        line[0] = V1_PREFIX[0];
        int n = 1;
        while (line[n - 1] != '\n') {
            if (n == V1_MAX) {
                throw new Malformed("PROXY v1 line without CRLF in its first 107 octets");
            }
            line[n] = (byte) next(in);
            if (n < V1_PREFIX.length && line[n] != V1_PREFIX[n]) {
                throw new Malformed("no PROXY protocol header");
            }
            n++;
        }
        return parseV1(new String(line, 0, n, StandardCharsets.US_ASCII));
    }

    /** A whole v1 line, "PROXY " to CRLF. */
    static ProxyHeader parseV1(String line) throws Malformed {
        // 2.1: "The receiver must not tolerate a single CR or LF character to end the line"
        if (!line.endsWith("\r\n") || line.length() < V1_PREFIX.length + 2) {
            throw new Malformed("PROXY v1 line not ended by CRLF");
        }
        String body = line.substring(V1_PREFIX.length, line.length() - 2);
        if (body.indexOf('\r') >= 0) {
            throw new Malformed("PROXY v1 line with a CR before its end");
        }
        // 2.1: after UNKNOWN "the receiver must ignore anything presented before the CRLF"
        if (body.equals("UNKNOWN") || body.startsWith("UNKNOWN ")) {
            return new ProxyHeader.Unproxied();
        }
        String[] f = body.split(" ", -1);
        if (f.length != 5 || !f[0].equals("TCP4") && !f[0].equals("TCP6")) {
            throw new Malformed("PROXY v1 line not TCP4, TCP6 or UNKNOWN with two addresses and two ports");
        }
        boolean v6 = f[0].equals("TCP6");
        return new ProxyHeader.Proxied(new InetSocketAddress(address(f[1], v6), port(f[3])),
                new InetSocketAddress(address(f[2], v6), port(f[4])));
    }

    private static InetAddress address(String text, boolean v6) throws Malformed {
        if (!(v6 ? text.contains(":") && IPV6.matcher(text).matches() : IPV4.matcher(text).matches())) {
            throw new Malformed("PROXY v1 address not " + (v6 ? "IPv6" : "IPv4") + ": " + text);
        }
        try {
            // a literal of digits, dots and colons only: never a name, so never a DNS lookup
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new Malformed("PROXY v1 address not IPv6: " + text);
        }
    }

    private static int port(String text) throws Malformed {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
            throw new Malformed("PROXY v1 port not from 0 to 65535: " + text);
        }
        return Integer.parseInt(text);
    }

    // the 16 octets of signature, version, command, family and length one at a time; then the announced length
    private static ProxyHeader readV2(InputStream in) throws IOException {
        byte[] head = new byte[V2_HEAD];
        head[0] = V2_SIGNATURE[0];
        for (int i = 1; i < V2_HEAD; i++) {
            head[i] = (byte) next(in);
            if (i < V2_SIGNATURE.length && head[i] != V2_SIGNATURE[i]) {
                throw new Malformed("no PROXY protocol header");
            }
            if (i == V2_SIGNATURE.length && (head[i] & 0xF0) != 0x20) {
                // 2.2: the version "must always be sent as \x2 and the receiver must only accept this value"
                throw new Malformed("PROXY v2 header of version " + ((head[i] & 0xF0) >> 4));
            }
        }
        int length = (head[14] & 0xff) << 8 | head[15] & 0xff;
        byte[] block = in.readNBytes(length);
        if (block.length < length) {
            // 2.2: "The receiver must also reject incoming connections containing partial protocol headers"
            throw new EOFException("the connection ended inside the PROXY protocol header");
        }
        return parseV2(head[12] & 0x0F, head[13] & 0xff, block);
    }

    /** A v2 header's command, family-and-transport octet and the block after its length (addresses, TLVs). */
    static ProxyHeader parseV2(int command, int family, byte[] block) throws Malformed {
        return switch (command) {
            // 2.2: LOCAL, the proxy's own connection (a health check): "the receiver must accept this connection
            // as valid and must use the real connection endpoints and discard the protocol block including the
            // family"
            case 0x0 -> new ProxyHeader.Unproxied();
            case 0x1 -> proxied(family, block);
            default -> throw new Malformed("PROXY v2 header of command " + command);
        };
    }

    private static ProxyHeader proxied(int family, byte[] block) throws Malformed {
        int needed = switch (family) {
            case 0x00 -> 0;
            case 0x11, 0x12 -> 12; // TCP or UDP over IPv4: two addresses of 4 octets, two ports
            case 0x21, 0x22 -> 36; // TCP or UDP over IPv6: two addresses of 16 octets, two ports
            case 0x31, 0x32 -> 216; // AF_UNIX: two paths of 108 octets
            // 2.2: "other values are unspecified ... and must be rejected as invalid by receivers"
            default -> throw new Malformed(String.format("PROXY v2 header of family and protocol 0x%02x", family));
        };
        if (block.length < needed) {
            throw new Malformed("PROXY v2 address block of " + block.length + " octets, " + needed + " needed");
        }
        if (family == 0x11 || family == 0x21) {
            int size = family == 0x11 ? 4 : 16;
            // 2.2: source address, destination address, source port, destination port
            return new ProxyHeader.Proxied(endpoint(block, 0, 2 * size, size),
                    endpoint(block, size, 2 * size + 2, size));
        }
        // 2.2: the receiver "automatically falls back to the UNSPEC mode" for what it does not support: the
        // connection's own endpoints; TLVs after the addresses are skipped
        return new ProxyHeader.Unproxied();
    }

    private static InetSocketAddress endpoint(byte[] block, int address, int port, int size) {
        byte[] octets = Arrays.copyOfRange(block, address, address + size);
        try {
            int number = (block[port] & 0xff) << 8 | block[port + 1] & 0xff;
            return new InetSocketAddress(InetAddress.getByAddress(octets), number);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 octets are an address", e);
        }
    }
}
