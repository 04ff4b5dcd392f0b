package dev.petrel.milter;

import java.util.List;

/**
 * What a filter answers, read from its packet. Verdicts end a stage ({@link Continue}, {@link Accept},
 * {@link Reject}, {@link Tempfail}, {@link Discard}, {@link ReplyCode}, {@link Skip}); modifications and
 * {@link Progress} come before the verdict at end of message.
 */
public sealed interface FilterReply {

    /** Go on to the next stage. */
    record Continue() implements FilterReply {}

    /** Accept without asking the filter about the rest of this transaction (or connection, before MAIL). */
    record Accept() implements FilterReply {}

    /** Refuse with 550 (at RCPT, this recipient; at CONNECT or HELO, the connection). */
    record Reject() implements FilterReply {}

    /** Refuse with 451. */
    record Tempfail() implements FilterReply {}

    /** Take the message and drop it. */
    record Discard() implements FilterReply {}

    /** Refuse with the filter's own reply: "550 5.7.1 text" (a 4xx is a tempfail, a 5xx a reject). */
    record ReplyCode(String text) implements FilterReply {}

    /** No more BODY chunks, please (SMFIP_SKIP). */
    record Skip() implements FilterReply {}

    /** Still working: the wait for the verdict starts again. */
    record Progress() implements FilterReply {}

    /** Hold the message in the queue, for this reason. */
    record Quarantine(String reason) implements FilterReply {}

    /** Append a header field. */
    record AddHeader(String name, String value) implements FilterReply {}

    /** Insert a header field at {@code index} (0 is first). */
    record InsertHeader(int index, String name, String value) implements FilterReply {}

    /** Change the {@code index}-th (1 is first) field named {@code name}; an empty value deletes it. */
    record ChangeHeader(int index, String name, String value) implements FilterReply {}

    /** A part of the new body; the parts of one end of message make the whole. */
    record ReplaceBody(byte[] chunk) implements FilterReply {}

    /** The verdict that ends a stage, as against a modification or a note of progress. */
    default boolean ends() {
        return !(this instanceof Progress || this instanceof Quarantine || this instanceof AddHeader
                || this instanceof InsertHeader || this instanceof ChangeHeader || this instanceof ReplaceBody);
    }

    /** Reads a reply packet; a code that is no reply, or a modification not {@code granted}, breaks the protocol. */
    static FilterReply read(Packet p, int granted) {
        return switch (p.code()) {
            case Codes.CONTINUE -> new Continue();
            case Codes.ACCEPT -> new Accept();
            case Codes.REJECT -> new Reject();
            case Codes.TEMPFAIL -> new Tempfail();
            case Codes.DISCARD -> new Discard();
            case Codes.SKIP -> new Skip();
            case Codes.PROGRESS -> new Progress();
            case Codes.REPLYCODE -> replyCode(p);
            case Codes.QUARANTINE -> new Quarantine(first(allowed(p, granted, Codes.QUARANTINE_ACTION).strings(0)));
            case Codes.ADDHEADER -> header(allowed(p, granted, Codes.ADD_HEADERS), 0, h -> new AddHeader(h.get(0), h.get(1)));
            case Codes.INSHEADER -> header(allowed(p, granted, Codes.ADD_HEADERS), 4,
                    h -> new InsertHeader(p.integer(0), h.get(0), h.get(1)));
            case Codes.CHGHEADER -> header(allowed(p, granted, Codes.CHANGE_HEADERS), 4,
                    h -> new ChangeHeader(p.integer(0), h.get(0), h.get(1)));
            case Codes.REPLBODY -> new ReplaceBody(allowed(p, granted, Codes.CHANGE_BODY).data());
            default -> throw new MilterException("unexpected reply '" + p.code() + "'");
        };
    }

    private static Packet allowed(Packet p, int granted, int action) {
        if ((granted & action) == 0) {
            throw new MilterException("reply '" + p.code() + "' needs an action that was not negotiated");
        }
        return p;
    }

    private static FilterReply replyCode(Packet p) {
        String text = first(p.strings(0));
        // RFC 5321 4.2: three digits, a 4 or a 5 first (a filter may not answer 2xx through SMFIR_REPLYCODE)
        if (text.length() < 3 || (text.charAt(0) != '4' && text.charAt(0) != '5')
                || !Character.isDigit(text.charAt(1)) || !Character.isDigit(text.charAt(2))) {
            throw new MilterException("reply code text not 4xx or 5xx: " + text);
        }
        return new ReplyCode(text);
    }

    private static FilterReply header(Packet p, int offset, java.util.function.Function<List<String>, FilterReply> make) {
        List<String> parts = p.strings(offset);
        if (parts.size() < 2 || parts.get(0).isEmpty()) {
            throw new MilterException("'" + p.code() + "' reply without a header name and value");
        }
        return make.apply(parts);
    }

    private static String first(List<String> strings) {
        return strings.isEmpty() ? "" : strings.getFirst();
    }
}
