package dev.petrel.web;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.petrel.mail.Address;
import dev.petrel.mail.mime.AddressList;
import dev.petrel.mail.mime.Attachment;
import dev.petrel.mail.mime.Draft;
import dev.petrel.mail.mime.ExtraHeader;
import dev.petrel.mail.mime.InvalidMessageException;
import dev.petrel.mail.mime.Mailbox;
import dev.petrel.tenant.ApiKey;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of the send API's requests, and how each becomes a {@link Sending.Order}. Recipients that are not
 * addresses do not stop the message: they are listed as refused ({@code invalid_address}) in the answer, in the
 * request's order; any other field in error refuses the message ({@code invalid_message}, naming the field).
 */
final class SendRequests {

    private SendRequests() {}

    /** {@code POST /v1/messages}: {@code to}, {@code cc}, {@code bcc} and {@code reply_to} take a string or a list. */
    record Message(String from,
                   @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> to,
                   @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> cc,
                   @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> bcc,
                   @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> replyTo,
                   String subject, String text, String html, Map<String, String> headers, List<File> attachments,
                   String stream, String tag, Map<String, String> metadata) {}

    /** A file: {@code content} in base64; a {@code content_id} makes it inline (HTML refers to it as cid:). */
    record File(String name, String contentType, String content, String contentId) {}

    /** {@code POST /v1/messages/raw}: the message as text ({@code message}) or in base64 ({@code message_base64}). */
    record Raw(String from, @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> to,
               String message, String messageBase64, String stream, String tag, Map<String, String> metadata) {}

    /**
     * One recipient as the request wrote it: an address, or a text that is none and why.
     *
     * @param address null when the text is not an address
     */
    record Entry(String text, Address address, String problem) {}

    /** The order to send, and every recipient in the request's order. */
    record Parsed(Sending.Order order, List<Entry> recipients) {}

    static Parsed message(Message m, ApiKey key, InetAddress client) {
        List<Entry> entries = new ArrayList<>();
        List<Mailbox> to = recipients("to", m.to(), entries);
        List<Mailbox> cc = recipients("cc", m.cc(), entries);
        List<Mailbox> bcc = recipients("bcc", m.bcc(), entries);
        Mailbox from = m.from() == null ? null : Mailbox.parse("from", m.from());
        List<Mailbox> replyTo = mailboxes("reply_to", m.replyTo());
        Draft draft = new Draft(from, to, cc, bcc, replyTo, m.subject(), m.text(), m.html(), headers(m.headers()),
                attachments(m.attachments()));
        if (!entries.isEmpty() && to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            // no recipient is an address: the answer lists why, and nothing is composed
            return new Parsed(null, entries);
        }
        return new Parsed(new Sending.Order(key, new Sending.Content.Composed(draft), Optional.ofNullable(m.stream()),
                m.tag(), metadata(m.metadata()), client), entries);
    }

    static Parsed raw(Raw r, ApiKey key, InetAddress client) {
        if (r.from() == null) {
            throw new InvalidMessageException("from", "required");
        }
        Address from = envelopeAddress("from", r.from());
        List<Entry> entries = new ArrayList<>();
        List<Address> to = recipients("to", r.to(), entries).stream().map(Mailbox::address).toList();
        Sending.Content.Raw content = new Sending.Content.Raw(content(r), from, to);
        Sending.Order order = to.isEmpty() && !entries.isEmpty() ? null
                : new Sending.Order(key, content, Optional.ofNullable(r.stream()), r.tag(), metadata(r.metadata()),
                        client);
        return new Parsed(order, entries);
    }

    private static byte[] content(Raw r) {
        if ((r.message() == null) == (r.messageBase64() == null)) {
            throw new InvalidMessageException("message", "give the message as message (text) or message_base64,"
                    + " one of the two");
        }
        byte[] mime = r.message() != null ? r.message().getBytes(StandardCharsets.UTF_8)
                : base64("message_base64", r.messageBase64());
        if (mime.length == 0) {
            throw new InvalidMessageException(r.message() != null ? "message" : "message_base64", "empty");
        }
        return mime;
    }

    // each element may be one address or a list of them ("Ann <a@x.example>, b@y.example"); one that does not parse
    // is one refused recipient
    private static List<Mailbox> recipients(String field, List<String> texts, List<Entry> entries) {
        List<Mailbox> out = new ArrayList<>();
        if (texts == null) {
            return out;
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new InvalidMessageException(field + "[" + i + "]", "required");
            }
            List<Mailbox> found;
            try {
                found = AddressList.parse(text);
            } catch (IllegalArgumentException e) {
                entries.add(new Entry(text.strip(), null, e.getMessage()));
                continue;
            }
            if (found.isEmpty()) {
                entries.add(new Entry(text.strip(), null, "no address"));
            }
            for (Mailbox m : found) {
                if (m.address().needsUtf8()) {
                    // RFC 6531: a UTF-8 local part needs SMTPUTF8 all the way, which is not offered
                    entries.add(new Entry(m.address().toString(), null, "a non-ASCII local part is not supported"));
                } else {
                    entries.add(new Entry(m.address().toString(), m.address(), null));
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static List<Mailbox> mailboxes(String field, List<String> texts) {
        List<Mailbox> out = new ArrayList<>();
        if (texts != null) {
            for (int i = 0; i < texts.size(); i++) {
                out.addAll(AddressList.parse(field + "[" + i + "]", texts.get(i)));
            }
        }
        return out;
    }

    private static Address envelopeAddress(String field, String text) {
        Mailbox m = Mailbox.parse(field, text);
        if (m.address().needsUtf8()) {
            throw new InvalidMessageException(field, "a non-ASCII local part is not supported");
        }
        return m.address();
    }

    // every label has a value: events and webhooks carry them as strings
    private static Map<String, String> metadata(Map<String, String> metadata) {
        if (metadata != null) {
            metadata.forEach((name, value) -> {
                if (value == null) {
                    throw new InvalidMessageException("metadata." + name, "required");
                }
            });
        }
        return metadata;
    }

    private static List<ExtraHeader> headers(Map<String, String> headers) {
        List<ExtraHeader> out = new ArrayList<>();
        if (headers != null) {
            headers.forEach((name, value) -> out.add(new ExtraHeader(name, value)));
        }
        return out;
    }

    /** The request's files; one in error is refused naming its field ({@code attachments[1].content}). */
    static List<Attachment> attachments(List<File> files) {
        List<Attachment> out = new ArrayList<>();
        if (files == null) {
            return out;
        }
        for (int i = 0; i < files.size(); i++) {
            File f = files.get(i);
            if (f == null) {
                throw new InvalidMessageException("attachments[" + i + "]", "required");
            }
            byte[] content = f.content() == null ? null : base64("attachments[" + i + "].content", f.content());
            out.add(new Attachment(f.name(), f.contentType(), content, f.contentId()));
        }
        return out;
    }

    // RFC 4648 4, white space (line breaks of a wrapped encoding) allowed between characters
    private static byte[] base64(String field, String text) {
        try {
            return Base64.getDecoder().decode(text.replaceAll("[ \t\r\n]", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field, "not base64 (RFC 4648): " + e.getMessage());
        }
    }
}
