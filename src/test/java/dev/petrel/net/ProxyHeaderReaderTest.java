package dev.petrel.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyHeaderReaderTest {

    private static final String SIGNATURE = "0d0a0d0a000d0a515549540a";
    private static final byte[] AFTER = "EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII);

    private static ProxyHeader readLine(String line) throws IOException {
        return ProxyHeaderReader.read(new ByteArrayInputStream(line.replace("<CRLF>", "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static ProxyHeader readHex(String hex) throws IOException {
        return ProxyHeaderReader.read(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
    }

    private static InetSocketAddress at(String address, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # proxy-protocol.txt 2.1: TCP4 and TCP6 with their addresses and ports
            PROXY TCP4 192.0.2.9 198.51.100.1 56324 25<CRLF>               | 192.0.2.9   | 56324 | 198.51.100.1 | 25
            PROXY TCP4 0.0.0.0 255.255.255.255 0 65535<CRLF>               | 0.0.0.0     | 0     | 255.255.255.255 | 65535
            PROXY TCP6 2001:db8::9 2001:db8::1 4000 587<CRLF>              | 2001:db8::9 | 4000  | 2001:db8::1  | 587
            PROXY TCP6 2001:DB8:0:0:0:0:0:9 ::1 1 2<CRLF>                  | 2001:db8::9 | 1     | ::1          | 2
            # an IPv4 client on an IPv6 socket of the proxy is an IPv4 client (as Postfix reads it)
            PROXY TCP6 ::ffff:192.0.2.9 ::1 1 2<CRLF>                      | 192.0.2.9   | 1     | ::1          | 2
            """)
    void v1LinesGiveTheClientAndTheAddressItReached(String line, String source, int sourcePort, String destination,
                                                    int destinationPort) throws IOException {
        ProxyHeader.Proxied p = assertInstanceOf(ProxyHeader.Proxied.class, readLine(line));
        assertEquals(at(source, sourcePort), p.source());
        assertEquals(at(destination, destinationPort), p.destination());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // 2.1: UNKNOWN, short or with anything before the CRLF, which the receiver ignores
        "PROXY UNKNOWN<CRLF>",
        "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535<CRLF>",
        "PROXY UNKNOWN whatever<CRLF>"})
    void v1UnknownLeavesTheConnectionsOwnAddress(String line) throws IOException {
        assertInstanceOf(ProxyHeader.Unproxied.class, readLine(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // not a header at all: a client that speaks first
        "EHLO client.test<CRLF>", "proxy TCP4 192.0.2.9 192.0.2.1 1 2<CRLF>", "PROXYTCP4<CRLF>",
        // 2.1: a single LF or CR does not end the line
        "PROXY TCP4 192.0.2.9 192.0.2.1 1 2\n", "PROXY TCP4 192.0.2.9 192.0.2.1 1 2\r\r\n", "PROXY UNKNOWN\rx\r\n",
        // 2.1: exactly one space between fields, and every field
        "PROXY TCP4  192.0.2.9 192.0.2.1 1 2<CRLF>", "PROXY TCP4 192.0.2.9 192.0.2.1 1 2 <CRLF>",
        "PROXY TCP4 192.0.2.9 192.0.2.1 1<CRLF>", "PROXY <CRLF>", "PROXY UNKNOWNX<CRLF>", "PROXY TCP5 1.2.3.4 1.2.3.4 1 2<CRLF>",
        // 2.1: no heading zeroes, numbers in range, the family's own address form, no names
        "PROXY TCP4 192.0.2.09 192.0.2.1 1 2<CRLF>", "PROXY TCP4 192.0.2.256 192.0.2.1 1 2<CRLF>",
        "PROXY TCP4 192.0.2.9 192.0.2.1 01 2<CRLF>", "PROXY TCP4 192.0.2.9 192.0.2.1 1 65536<CRLF>",
        "PROXY TCP4 ::1 192.0.2.1 1 2<CRLF>", "PROXY TCP6 192.0.2.9 ::1 1 2<CRLF>", "PROXY TCP4 localhost 192.0.2.1 1 2<CRLF>",
        "PROXY TCP6 1::2::3 ::1 1 2<CRLF>", "PROXY TCP6 12345::1 ::1 1 2<CRLF>",
        "PROXY TCP6 .1:2 ::1 1 2<CRLF>", "PROXY TCP6 ::1%eth0 ::1 1 2<CRLF>", "PROXY TCP4 192.0.2.9 192.0.2.1 -1 2<CRLF>",
        // 2.1: no CRLF within the first 107 octets
        "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 655350<CRLF>"})
    void malformedV1LinesAreRefused(String line) {
        assertThrows(ProxyHeaderReader.Malformed.class, () -> readLine(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "P", "PROXY TCP4 192.0.2.9", "\r\n\r\n\0\r\nQUIT\n!", SIGNATURE})
    void aHeaderCutShortIsAnEndOfInput(String text) {
        String input = text.equals(SIGNATURE) ? new String(HexFormat.of().parseHex(text), StandardCharsets.ISO_8859_1) : text;
        assertThrows(EOFException.class, () -> readLine(input));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # 2.2: PROXY command, TCP over IPv4: 192.0.2.9:56324 to 198.51.100.1:25
            tcp4        | 2111000c c0000209 c6336401 dc04 0019                        | 192.0.2.9   | 56324 | 198.51.100.1 | 25
            # TCP over IPv6: 2001:db8::9 port 1 to ::1 port 587
            tcp6        | 21210024 20010db8000000000000000000000009 00000000000000000000000000000001 0001 024b | 2001:db8::9 | 1 | ::1 | 587
            # TLVs after the addresses are skipped (a type 0x04 NOOP of three octets)
            tlv         | 21110012 c0000209 c6336401 dc04 0019 040003 616263              | 192.0.2.9   | 56324 | 198.51.100.1 | 25
            """)
    void v2HeadersGiveTheClientAndTheAddressItReached(String name, String hex, String source, int sourcePort,
                                                      String destination, int destinationPort) throws IOException {
        ProxyHeader.Proxied p = assertInstanceOf(ProxyHeader.Proxied.class, readHex(SIGNATURE + hex.replace(" ", "")));
        assertEquals(at(source, sourcePort), p.source());
        assertEquals(at(destination, destinationPort), p.destination());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // 2.2: LOCAL, the proxy's health check: its family and addresses are discarded, whatever they are
        "20000000", "2011000c c0000209 c6336401 dc04 0019", "20ff0003 010203",
        // PROXY with UNSPEC, or a family the receiver need not support (UDP): the connection's own address
        "21000000", "2112000c c0000209 c6336401 dc04 0019"})
    void v2LocalAndUnsupportedFamiliesLeaveTheConnectionsOwnAddress(String hex) throws IOException {
        assertInstanceOf(ProxyHeader.Unproxied.class, readHex(SIGNATURE + hex.replace(" ", "")));
    }

    @Test
    void v2UnixSocketsLeaveTheConnectionsOwnAddressButNeedTheirWholeBlock() throws IOException {
        // two paths of 108 octets: 216 (0xd8)
        assertInstanceOf(ProxyHeader.Unproxied.class, readHex(SIGNATURE + "213100d8" + "00".repeat(216)));
        assertThrows(ProxyHeaderReader.Malformed.class, () -> readHex(SIGNATURE + "213100d7" + "00".repeat(215)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // 2.2: version 2 only, commands LOCAL and PROXY only, the listed families only
        "1111000c c0000209 c6336401 dc04 0019", "3111000c c0000209 c6336401 dc04 0019", "2211000c c0000209 c6336401 dc04 0019",
        "2113000c c0000209 c6336401 dc04 0019", "2141000c c0000209 c6336401 dc04 0019",
        // an address block shorter than its family's addresses
        "2111000b c0000209 c6336401 dc04 00", "21210012 c0000209 c6336401 dc04 0019 000000000000"})
    void malformedV2HeadersAreRefused(String hex) {
        assertThrows(ProxyHeaderReader.Malformed.class, () -> readHex(SIGNATURE + hex.replace(" ", "")));
    }

    @Test
    void aV2HeaderShorterThanItsLengthIsAnEndOfInput() {
        assertThrows(EOFException.class, () -> readHex(SIGNATURE + "2111000c c0000209 c6336401".replace(" ", "")));
    }

    @Test
    void aWrongSignatureIsRefusedAtItsFirstWrongOctet() {
        // nothing after the wrong octet is there to read: the refusal must not wait for more
        assertThrows(ProxyHeaderReader.Malformed.class, () -> readHex("0d0a0d0a000d0a5156"));
        assertThrows(ProxyHeaderReader.Malformed.class, () -> readLine("PROXY\t"));
        assertThrows(ProxyHeaderReader.Malformed.class, () -> readLine("PRO "));
    }

    @Property(tries = 300)
    void v1LinesOfAnyAddressesReadBackAndLeaveWhatFollows(@ForAll @Size(4) byte[] source, @ForAll @Size(16) byte[] v6,
                                                          @ForAll @IntRange(max = 65535) int sourcePort,
                                                          @ForAll @IntRange(max = 65535) int destinationPort,
                                                          @ForAll boolean ipv6) throws IOException {
        InetAddress client = InetAddress.getByAddress(ipv6 ? v6 : source);
        InetAddress server = InetAddress.getByName(ipv6 ? "2001:db8::1" : "192.0.2.1");
        boolean mapped = client.getAddress().length == 4 && ipv6;
        String line = "PROXY " + (ipv6 ? "TCP6 " : "TCP4 ") + (mapped ? "::ffff:" : "") + client.getHostAddress() + " "
                + server.getHostAddress() + " " + sourcePort + " " + destinationPort + "\r\n";
        ByteArrayInputStream in = new ByteArrayInputStream(concat(line.getBytes(StandardCharsets.US_ASCII), AFTER));
        ProxyHeader.Proxied p = assertInstanceOf(ProxyHeader.Proxied.class, ProxyHeaderReader.read(in));
        assertEquals(new InetSocketAddress(client, sourcePort), p.source());
        assertEquals(new InetSocketAddress(server, destinationPort), p.destination());
        assertArrayEquals(AFTER, in.readAllBytes(), "not one octet past the header is read");
    }

    @Property(tries = 300)
    void v2HeadersOfAnyAddressesReadBackAndLeaveWhatFollows(@ForAll @Size(16) byte[] v6, @ForAll @Size(4) byte[] v4,
                                                            @ForAll @IntRange(max = 65535) int port,
                                                            @ForAll @IntRange(max = 300) int tlvOctets,
                                                            @ForAll boolean ipv6) throws IOException {
        byte[] address = ipv6 ? v6 : v4;
        ByteBuffer header = ByteBuffer.allocate(16 + 2 * address.length + 4 + tlvOctets);
        header.put(HexFormat.of().parseHex(SIGNATURE)).put((byte) 0x21).put((byte) (ipv6 ? 0x21 : 0x11))
                .putShort((short) (2 * address.length + 4 + tlvOctets)).put(address).put(address)
                .putShort((short) port).putShort((short) 25);
        ByteArrayInputStream in = new ByteArrayInputStream(concat(header.array(), AFTER));
        ProxyHeader.Proxied p = assertInstanceOf(ProxyHeader.Proxied.class, ProxyHeaderReader.read(in));
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(address), port), p.source());
        assertArrayEquals(AFTER, in.readAllBytes(), "not one octet past the header is read");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
