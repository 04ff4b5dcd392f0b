package dev.petrel.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.petrel.mail.mime.AddressList;
import dev.petrel.mail.mime.Attachment;
import dev.petrel.mail.mime.Draft;
import dev.petrel.mail.mime.ExtraHeader;
import dev.petrel.mail.mime.InvalidMessageException;
import dev.petrel.mail.mime.Mailbox;
import dev.petrel.tenant.ApiKey;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON of Postmark's {@code POST /email} and {@code /email/batch}, and how a message becomes a
 * {@link Sending.Order}. Field names are Postmark's (PascalCase, matched without regard to case); fields Petrel does
 * not know are ignored, as Postmark ignores them (its client libraries send some, such as an attachment's
 * {@code ContentLength}); {@code TrackOpens} and {@code TrackLinks} are read and ignored. A value of the wrong type
 * is Postmark's "incompatible JSON" and a document that is not JSON its "invalid JSON" ({@link PostmarkAnswers}
 * numbers them). Unlike Petrel's own API, a recipient that is no address refuses the whole message, as Postmark does.
 */
final class PostmarkRequests {

    /** The stream Postmark sends on when none is named: the key's own stream, or none. */
    static final String DEFAULT_STREAM = "outbound";

    /** {@code incompatible_json}: valid JSON of the wrong shape (Postmark's 403). */
    static final String INCOMPATIBLE = "incompatible_json";

    private static final ObjectMapper MAPPER = mapper();

    // a field's path at the start of a refusal: attachments[0].content_id
    private static final Pattern FIELD = Pattern.compile(
            "([A-Za-z_]+(?:\\[\\d+])?(?:\\.[A-Za-z_]+(?:\\[\\d+])?)*): ");

    // the composer's names for the fields (Petrel's API) and Postmark's
    private static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("from", "From"), Map.entry("to", "To"),
            Map.entry("cc", "Cc"), Map.entry("bcc", "Bcc"), Map.entry("reply_to", "ReplyTo"),
            Map.entry("subject", "Subject"), Map.entry("text", "TextBody"), Map.entry("html", "HtmlBody"),
            Map.entry("headers", "Headers"), Map.entry("attachments", "Attachments"), Map.entry("name", "Name"),
            Map.entry("value", "Value"), Map.entry("content", "Content"), Map.entry("content_type", "ContentType"),
            Map.entry("content_id", "ContentID"));

    private PostmarkRequests() {}

    /** One message; {@code To}, {@code Cc}, {@code Bcc} and {@code ReplyTo} are comma-separated address lists. */
    record Email(String from, String to, String cc, String bcc, String replyTo, String subject, String htmlBody,
                 String textBody, List<Header> headers, List<File> attachments, String tag,
                 Map<String, String> metadata, String messageStream, Boolean trackOpens, String trackLinks) {}

    record Header(String name, String value) {}

    /** A file: {@code Content} in base64; a {@code ContentID} ({@code cid:logo.png}) makes it inline. */
    record File(String name, String content, String contentType, @JsonProperty("ContentID") String contentId) {}

    private static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .build();
        // a number or a boolean where text belongs is the wrong type, not text
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The body of {@code POST /email}. */
    static Email email(byte[] body) {
        return read(body, MAPPER.constructType(Email.class));
    }

    /** The body of {@code POST /email/batch}: an array of messages. */
    static List<Email> batch(byte[] body) {
        return read(body, MAPPER.getTypeFactory().constructType(new TypeReference<List<Email>>() {}));
    }

    private static <T> T read(byte[] body, JavaType type) {
        if (body.length == 0) {
            throw new ApiError(400, "invalid_json", "the request needs a JSON body");
        }
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (JsonMappingException e) {
            if (e.getPath().isEmpty()) {
                throw new ApiError(422, INCOMPATIBLE, "the request must be " + shape(type) + Json.where(e));
            }
            throw new ApiError(422, INCOMPATIBLE, "a field has the wrong type: "
                    + Json.firstLine(e.getOriginalMessage()) + Json.where(e));
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid_json", "malformed JSON: " + Json.firstLine(e.getOriginalMessage())
                    + Json.where(e));
        } catch (IOException e) {
            throw new ApiError(400, "invalid_json", "unreadable JSON: " + e.getMessage());
        }
        if (value == null) {
            throw new ApiError(422, INCOMPATIBLE, "the request must be " + shape(type) + ", not null");
        }
        return value;
    }

    private static String shape(JavaType type) {
        return type.isCollectionLikeType() ? "a JSON array of messages" : "a JSON object (one message)";
    }

    /** The message as an order for {@link Sending}; an {@link InvalidMessageException} names Postmark's field. */
    static Sending.Order order(Email e, ApiKey key, InetAddress client) {
        if (e == null) {
            throw new InvalidMessageException("message", "null is not a message");
        }
        Mailbox from = e.from() == null || e.from().isBlank() ? null : Mailbox.parse("From", e.from());
        Draft draft = new Draft(from, AddressList.parse("To", e.to()), AddressList.parse("Cc", e.cc()),
                AddressList.parse("Bcc", e.bcc()), AddressList.parse("ReplyTo", e.replyTo()), e.subject(),
                e.textBody(), e.htmlBody(), headers(e.headers()), attachments(e.attachments()));
        return new Sending.Order(key, new Sending.Content.Composed(draft), stream(e.messageStream()), e.tag(),
                e.metadata(), client);
    }

    // Postmark's default stream names no stream of Petrel's: the key's own, or none
    private static Optional<String> stream(String messageStream) {
        if (messageStream == null || messageStream.isBlank() || messageStream.strip().equals(DEFAULT_STREAM)) {
            return Optional.empty();
        }
        return Optional.of(messageStream.strip());
    }

    private static List<ExtraHeader> headers(List<Header> headers) {
        List<ExtraHeader> out = new ArrayList<>();
        if (headers != null) {
            for (int i = 0; i < headers.size(); i++) {
                Header h = headers.get(i);
                if (h == null) {
                    throw new InvalidMessageException("Headers[" + i + "]", "required");
                }
                out.add(new ExtraHeader(h.name(), h.value()));
            }
        }
        return out;
    }

    // read as Petrel's own API reads files (its refusals name Petrel's fields; inPostmarkWords renames them)
    private static List<Attachment> attachments(List<File> files) {
        if (files == null) {
            return List.of();
        }
        List<SendRequests.File> same = new ArrayList<>();
        for (File f : files) {
            same.add(f == null ? null : new SendRequests.File(f.name(), f.contentType(), f.content(),
                    f.contentId() == null || f.contentId().isBlank() ? null : f.contentId()));
        }
        return SendRequests.attachments(same);
    }

    /**
     * A refusal of the composer in Postmark's words: its message starts with the field at fault as Petrel's API
     * spells it ({@code attachments[0].content_id: ...}, see {@link InvalidMessageException}), here spelled as
     * Postmark does ({@code Attachments[0].ContentID: ...}).
     */
    static String inPostmarkWords(String refusal) {
        Matcher m = FIELD.matcher(refusal);
        if (!m.lookingAt()) {
            return refusal;
        }
        StringBuilder out = new StringBuilder();
        for (String part : m.group(1).split("\\.")) {
            int index = part.indexOf('[');
            String name = index < 0 ? part : part.substring(0, index);
            out.append(out.isEmpty() ? "" : ".").append(FIELDS.getOrDefault(name, name))
                    .append(index < 0 ? "" : part.substring(index));
        }
        return out + refusal.substring(m.end(1));
    }
}
