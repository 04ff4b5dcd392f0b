package dev.petrel.milter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The changes a filter asked for at end of message, applied in the order they came (as Postfix's cleanup applies
 * them): fields added, inserted, changed or deleted, and the body replaced. Line breaks a filter sends as LF
 * become CRLF, so nothing written to the queue carries a bare LF.
 */
public final class MessageEdits {

    private final List<FilterReply> edits = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean bodyReplaced;
    private String quarantine;
    private final boolean leadingSpace;

    /** @param leadingSpace the filter's values carry their own first space (SMFIP_HDR_LEADSPC) */
    public MessageEdits(boolean leadingSpace) {
        this.leadingSpace = leadingSpace;
    }

    /** Takes a modification (or a quarantine); false for a reply that is none. */
    public boolean add(FilterReply reply) {
        switch (reply) {
            case FilterReply.Quarantine q -> quarantine = q.reason();
            case FilterReply.AddHeader a -> edits.add(a);
            case FilterReply.InsertHeader i -> edits.add(i);
            case FilterReply.ChangeHeader c -> edits.add(c);
            case FilterReply.ReplaceBody r -> {
                bodyReplaced = true;
                body.writeBytes(r.chunk());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The reason the filter gave to hold the message, or null when it did not ask. */
    public String quarantine() {
        return quarantine;
    }

    /** No change to the message (a quarantine is none). */
    public boolean isEmpty() {
        return edits.isEmpty() && !bodyReplaced;
    }

    /** The message with the changes made; the message itself when there are none. */
    public byte[] apply(byte[] message) {
        if (isEmpty()) {
            return message;
        }
        HeaderFields read = HeaderFields.read(message);
        List<String> fields = new ArrayList<>();
        read.fields().forEach(f -> fields.add(f.name() + ":" + f.value()));
        for (FilterReply e : edits) {
            edit(fields, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach(f -> out.writeBytes((f + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (bodyReplaced) {
            out.writeBytes(crlf(body.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } else {
            out.write(message, read.bodyOffset(), message.length - read.bodyOffset());
        }
        return out.toByteArray();
    }

    private void edit(List<String> fields, FilterReply e) {
        switch (e) {
            case FilterReply.AddHeader a -> fields.add(field(a.name(), a.value()));
            case FilterReply.InsertHeader i -> fields.add(Math.clamp(i.index(), 0, fields.size()), field(i.name(), i.value()));
            case FilterReply.ChangeHeader c -> change(fields, c);
            default -> throw new IllegalStateException("not an edit: " + e);
        }
    }

    // smfi_chgheader: the index-th field of that name (1 is first); an empty value deletes it; past the last, added
    private void change(List<String> fields, FilterReply.ChangeHeader c) {
        String prefix = c.name().toLowerCase(Locale.ROOT) + ":";
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).toLowerCase(Locale.ROOT).startsWith(prefix) && ++seen == Math.max(1, c.index())) {
                if (c.value().isEmpty()) {
                    fields.remove(i);
                } else {
                    fields.set(i, field(c.name(), c.value()));
                }
                return;
            }
        }
        if (!c.value().isEmpty()) {
            fields.add(field(c.name(), c.value()));
        }
    }

    private String field(String name, String value) {
        return name + ":" + (leadingSpace ? "" : " ") + crlf(value);
    }

    // every line break as CRLF: a bare LF or a bare CR of the filter's text
    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }
}
