package dev.petrel.milter;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The MTA's side of one milter conversation once OPTNEG is settled: for each SMTP stage, the packets to send (its
 * macros first) and whether the filter answers them. A stage the filter left out sends nothing. Holds no socket:
 * the server writes the packets and reads the replies.
 */
public final class MilterSession {

    /**
     * What to send for one stage.
     *
     * @param packets the packets in order (none when the filter left the stage out)
     * @param answered the filter answers the stage's last packet
     */
    public record Step(List<Packet> packets, boolean answered) {
        public Step {
            packets = List.copyOf(packets);
        }

        static final Step NONE = new Step(List.of(), false);
    }

    private final Negotiated negotiated;

    public MilterSession(Negotiated negotiated) {
        this.negotiated = negotiated;
    }

    public Negotiated negotiated() {
        return negotiated;
    }

    /** SMFIC_CONNECT: the client's name (or its address in brackets, unknown), family, port and address. */
    public Step connect(String hostname, InetAddress client, int port, Map<String, String> macros) {
        if (negotiated.skips(Codes.NO_CONNECT)) {
            return Step.NONE;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(zeroTerminated(hostname));
        data.write(client instanceof Inet6Address ? '6' : '4');
        data.writeBytes(ByteBuffer.allocate(2).putShort((short) port).array());
        data.writeBytes(zeroTerminated(client.getHostAddress()));
        return step(Codes.STAGE_CONNECT, Codes.CONNECT, macros, new Packet(Codes.CONNECT, data.toByteArray()),
                Codes.NO_REPLY_CONNECT);
    }

    public Step helo(String name, Map<String, String> macros) {
        return negotiated.skips(Codes.NO_HELO) ? Step.NONE
                : step(Codes.STAGE_HELO, Codes.HELO, macros, Packet.strings(Codes.HELO, name), Codes.NO_REPLY_HELO);
    }

    /** SMFIC_MAIL: the reverse path in angle brackets, then each ESMTP parameter as KEYWORD=value. */
    public Step mail(String reversePath, List<String> parameters, Map<String, String> macros) {
        return negotiated.skips(Codes.NO_MAIL) ? Step.NONE
                : step(Codes.STAGE_MAIL, Codes.MAIL, macros, Packet.strings(Codes.MAIL, arguments(reversePath, parameters)),
                Codes.NO_REPLY_MAIL);
    }

    public Step rcpt(String forwardPath, List<String> parameters, Map<String, String> macros) {
        return negotiated.skips(Codes.NO_RCPT) ? Step.NONE
                : step(Codes.STAGE_RCPT, Codes.RCPT, macros, Packet.strings(Codes.RCPT, arguments(forwardPath, parameters)),
                Codes.NO_REPLY_RCPT);
    }

    private static String[] arguments(String path, List<String> parameters) {
        List<String> all = new ArrayList<>();
        all.add("<" + path + ">");
        all.addAll(parameters);
        return all.toArray(String[]::new);
    }

    public Step data(Map<String, String> macros) {
        return negotiated.skips(Codes.NO_DATA) ? Step.NONE
                : step(Codes.STAGE_DATA, Codes.DATA, macros, Packet.of(Codes.DATA), Codes.NO_REPLY_DATA);
    }

    /**
     * SMFIC_HEADER, one per field: the name and the value with its folds as LF (as Sendmail and Postfix send
     * them), its first space kept only when the filter asked for SMFIP_HDR_LEADSPC.
     */
    public List<Step> headers(HeaderFields fields) {
        if (negotiated.skips(Codes.NO_HEADERS)) {
            return List.of();
        }
        boolean answered = !negotiated.skips(Codes.NO_REPLY_HEADER);
        return fields.fields().stream().map(f -> new Step(List.of(Packet.strings(Codes.HEADER, f.name(),
                headerValue(f.value()))), answered)).toList();
    }

    private String headerValue(String raw) {
        String value = raw.replace("\r\n", "\n");
        return !negotiated.skips(Codes.HEADER_LEADING_SPACE) && value.startsWith(" ") ? value.substring(1) : value;
    }

    public Step endOfHeaders(Map<String, String> macros) {
        return negotiated.skips(Codes.NO_EOH) ? Step.NONE
                : step(Codes.STAGE_EOH, Codes.EOH, macros, Packet.of(Codes.EOH), Codes.NO_REPLY_EOH);
    }

    /** SMFIC_BODY in chunks of at most 65535 octets (MILTER_CHUNK_SIZE); an empty body sends none. */
    public List<Step> body(byte[] message, int offset) {
        if (negotiated.skips(Codes.NO_BODY)) {
            return List.of();
        }
        boolean answered = !negotiated.skips(Codes.NO_REPLY_BODY);
        List<Step> steps = new ArrayList<>();
        for (int at = offset; at < message.length; at += Codes.CHUNK_SIZE) {
            byte[] chunk = Arrays.copyOfRange(message, at, Math.min(message.length, at + Codes.CHUNK_SIZE));
            steps.add(new Step(List.of(new Packet(Codes.BODY, chunk)), answered));
        }
        return steps;
    }

    /** SMFIC_BODYEOB: always answered, with any modifications before the verdict. */
    public Step endOfMessage(Map<String, String> macros) {
        return step(Codes.STAGE_EOM, Codes.BODYEOB, macros, Packet.of(Codes.BODYEOB), 0);
    }

    /** SMFIC_ABORT: the transaction ended without a message; not answered. */
    public static Step abort() {
        return new Step(List.of(Packet.of(Codes.ABORT)), false);
    }

    /** SMFIC_QUIT: the connection ends; not answered. */
    public static Step quit() {
        return new Step(List.of(Packet.of(Codes.QUIT)), false);
    }

    private Step step(int stage, char command, Map<String, String> macros, Packet packet, int noReply) {
        Map<String, String> sent = macrosFor(stage, macros);
        List<Packet> packets = new ArrayList<>();
        if (!sent.isEmpty()) {
            packets.add(macroPacket(command, sent));
        }
        packets.add(packet);
        return new Step(packets, noReply == 0 || !negotiated.skips(noReply));
    }

    // the filter's list for the stage (SMFIF_SETSYMLIST), when it sent one; "{i}" and "i" name the same macro
    private Map<String, String> macrosFor(int stage, Map<String, String> macros) {
        String asked = negotiated.grants(Codes.SET_SYMBOL_LIST) ? negotiated.macros().get(stage) : null;
        if (asked == null) {
            return macros;
        }
        Set<String> names = Arrays.stream(asked.split(" ")).map(MilterSession::bare).collect(Collectors.toSet());
        Map<String, String> kept = new LinkedHashMap<>();
        macros.forEach((k, v) -> {
            if (names.contains(bare(k))) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private static String bare(String name) {
        return name.startsWith("{") && name.endsWith("}") ? name.substring(1, name.length() - 1) : name;
    }

    /** SMFIC_MACRO: the command it belongs to, then name and value pairs. */
    static Packet macroPacket(char command, Map<String, String> macros) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(command);
        macros.forEach((name, value) -> {
            data.writeBytes(zeroTerminated(name));
            data.writeBytes(zeroTerminated(value));
        });
        return new Packet(Codes.MACRO, data.toByteArray());
    }

    private static byte[] zeroTerminated(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }
}
