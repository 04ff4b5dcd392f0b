package dev.petrel.milter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packets Petrel sends and the replies it reads, against the byte sequences libmilter writes and expects. */
class MilterCodecTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static byte[] wire(List<Packet> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        packets.forEach(p -> out.writeBytes(p.toBytes()));
        return out.toByteArray();
    }

    private static Negotiated all() {
        return new Negotiated(6, Codes.OFFERED_ACTIONS, 0, Map.of());
    }

    private static Packet optneg(int version, int actions, int steps, byte[] extra) {
        return new Packet(Codes.OPTNEG, ByteBuffer.allocate(12 + extra.length).putInt(version).putInt(actions)
                .putInt(steps).put(extra).array());
    }

    @Test
    void theOfferIsVersion6WithTheActionsAndStepsPetrelSupports() {
        // length 13, 'O', version 6, actions 0x133, steps 0x1ff7ff
        assertArrayEquals(hex("0000000d 4f 00000006 00000133 001ff7ff"), Negotiated.offer().toBytes());
    }

    @Test
    void aFiltersReplyGrantsOnlyWhatWasOfferedAndReadsItsMacroLists() {
        byte[] lists = "\0\0\0\2{mail_addr} {auth_authen}\0\0\0\0\5{i}\0".getBytes(StandardCharsets.ISO_8859_1);
        // rspamd asks for every action, recipients and the sender too; those are not offered
        Negotiated n = Negotiated.read(optneg(6, 0x1ff, Codes.NO_REPLY_HEADER | Codes.SKIP_STEP, lists));
        assertEquals(Codes.OFFERED_ACTIONS, n.actions());
        assertFalse(n.grants(Codes.ADD_RECIPIENTS));
        assertTrue(n.skips(Codes.NO_REPLY_HEADER));
        assertEquals(Map.of(2, "{mail_addr} {auth_authen}", 5, "{i}"), n.macros());
    }

    @Test
    void aFilterAskingForStepsNotOfferedOrAnOldVersionBreaksTheProtocol() {
        assertThrows(MilterException.class, () -> Negotiated.read(optneg(6, 1, 0x800, new byte[0]))); // RCPT_REJ
        assertThrows(MilterException.class, () -> Negotiated.read(optneg(1, 1, 0, new byte[0])));
        assertThrows(MilterException.class, () -> Negotiated.read(Packet.of(Codes.CONTINUE)));
    }

    @Test
    void connectCarriesNameFamilyPortAndAddressAfterItsMacros() throws Exception {
        Map<String, String> macros = new LinkedHashMap<>();
        macros.put("j", "mx.test");
        macros.put("{client_addr}", "192.0.2.7");
        MilterSession.Step s = new MilterSession(all()).connect("[192.0.2.7]", InetAddress.getByName("192.0.2.7"),
                40000, macros);
        assertTrue(s.answered());
        byte[] expected = concat(
                hex("00000024 44 43"), "j\0mx.test\0{client_addr}\u0000192.0.2.7\0".getBytes(StandardCharsets.US_ASCII),
                hex("0000001a 43"), "[192.0.2.7]\0".getBytes(StandardCharsets.US_ASCII), hex("34 9c40"),
                "192.0.2.7\0".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, wire(s.packets()));
    }

    @Test
    void anIpv6ClientIsFamily6() throws Exception {
        Packet p = new MilterSession(all()).connect("[::1]", InetAddress.getByName("::1"), 25, Map.of()).packets().getFirst();
        assertEquals('6', (char) p.data()[6]);
        assertEquals(List.of("[::1]", "6", "\u0019" + "0:0:0:0:0:0:0:1"), p.strings(0)); // the port 25 holds a NUL
    }

    @Test
    void mailAndRcptSendThePathInBracketsThenEachEsmtpParameter() {
        MilterSession s = new MilterSession(all());
        assertArrayEquals(concat(hex("00000023 4d"), "<a@b.test>\0SIZE=100\0BODY=8BITMIME\0".getBytes(StandardCharsets.US_ASCII)),
                wire(s.mail("a@b.test", List.of("SIZE=100", "BODY=8BITMIME"), Map.of()).packets()));
        assertArrayEquals(concat(hex("00000004 4d"), "<>\0".getBytes(StandardCharsets.US_ASCII)),
                wire(s.mail("", List.of(), Map.of()).packets()));
        assertArrayEquals(concat(hex("0000000b 52"), "<u@local>\0".getBytes(StandardCharsets.US_ASCII)),
                wire(s.rcpt("u@local", List.of(), Map.of()).packets()));
    }

    @Test
    void headersGoOnePerFieldWithoutTheLeadingSpaceAndWithFoldsAsLf() {
        byte[] message = "Subject: hello\r\n there\r\nFrom:<a@b>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        HeaderFields fields = HeaderFields.read(message);
        assertEquals(message.length - 6, fields.bodyOffset());
        List<MilterSession.Step> plain = new MilterSession(all()).headers(fields);
        assertEquals(Packet.strings(Codes.HEADER, "Subject", "hello\n there"), plain.get(0).packets().getFirst());
        assertEquals(Packet.strings(Codes.HEADER, "From", "<a@b>"), plain.get(1).packets().getFirst());
        Negotiated leading = new Negotiated(6, 0, Codes.HEADER_LEADING_SPACE | Codes.NO_REPLY_HEADER, Map.of());
        MilterSession.Step kept = new MilterSession(leading).headers(fields).getFirst();
        assertEquals(Packet.strings(Codes.HEADER, "Subject", " hello\n there"), kept.packets().getFirst());
        assertFalse(kept.answered());
    }

    @Test
    void theBodyGoesInChunksOfAtMost65535Octets() {
        byte[] message = new byte[10 + 65535 * 2 + 1];
        List<MilterSession.Step> chunks = new MilterSession(all()).body(message, 10);
        assertEquals(List.of(65535, 65535, 1), chunks.stream().map(c -> c.packets().getFirst().length()).toList());
        assertTrue(new MilterSession(all()).body(message, message.length).isEmpty());
    }

    @Test
    void stagesTheFilterLeftOutSendNothingAndUnansweredOnesAreSaidSo() {
        Negotiated n = new Negotiated(6, 0, Codes.NO_HELO | Codes.NO_BODY | Codes.NO_REPLY_MAIL, Map.of());
        MilterSession s = new MilterSession(n);
        assertTrue(s.helo("client.test", Map.of()).packets().isEmpty());
        assertTrue(s.body(new byte[5], 0).isEmpty());
        assertFalse(s.mail("a@b", List.of(), Map.of()).answered());
        assertTrue(s.rcpt("a@b", List.of(), Map.of()).answered());
        assertTrue(s.endOfMessage(Map.of()).answered());
        assertArrayEquals(hex("00000001 41"), wire(MilterSession.abort().packets()));
        assertArrayEquals(hex("00000001 51"), wire(MilterSession.quit().packets()));
    }

    @Test
    void onlyTheMacrosTheFilterListedForAStageAreSent() {
        Negotiated n = new Negotiated(6, Codes.OFFERED_ACTIONS, 0, Map.of(Codes.STAGE_MAIL, "{mail_addr}"));
        Map<String, String> macros = new LinkedHashMap<>();
        macros.put("{auth_authen}", "user");
        macros.put("{mail_addr}", "a@b");
        Packet macro = new MilterSession(n).mail("a@b", List.of(), macros).packets().getFirst();
        assertEquals(Packet.strings(Codes.MACRO, "M{mail_addr}", "a@b"), macro);
    }

    @Test
    void repliesAreReadAsValues() {
        int all = Codes.OFFERED_ACTIONS;
        assertEquals(new FilterReply.Continue(), FilterReply.read(Packet.of('c'), all));
        assertEquals(new FilterReply.ReplyCode("554 5.7.1 Spam message rejected"),
                FilterReply.read(Packet.strings('y', "554 5.7.1 Spam message rejected"), all));
        assertEquals(new FilterReply.AddHeader("X-Spam", "Yes"), FilterReply.read(Packet.strings('h', "X-Spam", "Yes"), all));
        FilterReply inserted = FilterReply.read(new Packet('i', concat(hex("00000000"),
                "X-First\0one\0".getBytes(StandardCharsets.US_ASCII))), all);
        assertEquals(new FilterReply.InsertHeader(0, "X-First", "one"), inserted);
        FilterReply changed = FilterReply.read(new Packet('m', concat(hex("00000002"),
                "Subject\0\0".getBytes(StandardCharsets.US_ASCII))), all);
        assertEquals(new FilterReply.ChangeHeader(2, "Subject", ""), changed);
        assertEquals(new FilterReply.Quarantine("spam"), FilterReply.read(Packet.strings('q', "spam"), all));
        assertFalse(FilterReply.read(Packet.of('p'), all).ends());
        assertTrue(FilterReply.read(Packet.of('d'), all).ends());
    }

    @Test
    void aReplyOutsideTheProtocolOrTheGrantedActionsIsRefused() {
        assertThrows(MilterException.class, () -> FilterReply.read(Packet.of('Z'), Codes.OFFERED_ACTIONS));
        assertThrows(MilterException.class, () -> FilterReply.read(Packet.strings('h', "X", "y"), 0));
        assertThrows(MilterException.class, () -> FilterReply.read(Packet.strings('y', "250 ok"), Codes.OFFERED_ACTIONS));
        assertThrows(MilterException.class, () -> FilterReply.read(Packet.strings('h', "", "y"), Codes.OFFERED_ACTIONS));
    }

    @Test
    void theDecoderWaitsForWholePacketsAndRefusesAbsurdLengths() {
        PacketDecoder d = new PacketDecoder(100);
        byte[] two = concat(Packet.of('c').toBytes(), Packet.strings('h', "A", "b").toBytes());
        d.feed(two, 0, 3);
        assertNull(d.next());
        d.feed(two, 3, two.length - 3);
        assertEquals(Packet.of('c'), d.next());
        assertEquals(Packet.strings('h', "A", "b"), d.next());
        assertNull(d.next());
        PacketDecoder big = new PacketDecoder(100);
        big.feed(hex("00000065 63"), 0, 5);
        assertThrows(MilterException.class, big::next);
        PacketDecoder empty = new PacketDecoder(100);
        empty.feed(hex("00000000"), 0, 4);
        assertThrows(MilterException.class, empty::next);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
