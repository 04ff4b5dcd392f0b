package dev.petrel.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * JSON in and out of the HTTP surface. Reading is strict: an unknown field, a value of the wrong type, trailing
 * text or a broken document is a 400 that says where it broke (line, column, and the field's path).
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // DESIGN.md's JSON is snake_case: a record component olderThan is the field older_than
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // times as ISO 8601 text in UTC ("2026-12-07T06:53:28Z"), as the events have them
            .addModule(new SimpleModule().addSerializer(Instant.class, new ToStringSerializer(Instant.class)))
            .build();

    private Json() {}

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The body as a {@code type}, or a 400 {@link ApiError} saying what is wrong and where. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new ApiError(400, "invalid_json", "the request needs a JSON body");
        }
        return checked(() -> MAPPER.readValue(body, type));
    }

    /** A part of a document already read (one message of a batch) as a {@code type}, or a 400 as {@link #read}. */
    public static <T> T read(JsonNode node, Class<T> type) {
        return checked(() -> MAPPER.readValue(MAPPER.treeAsTokens(node), type));
    }

    /** The body as a tree, or a 400 {@link ApiError} saying what is wrong and where. */
    public static JsonNode tree(byte[] body) {
        if (body.length == 0) {
            throw new ApiError(400, "invalid_json", "the request needs a JSON body");
        }
        return checked(() -> MAPPER.readTree(body));
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T checked(Reading<T> reading) {
        T value;
        try {
            value = reading.read();
        } catch (UnrecognizedPropertyException e) {
            throw new ApiError(400, "unknown_field", "unknown field \"" + e.getPropertyName() + "\"" + where(e));
        } catch (JsonMappingException e) {
            String message = firstLine(e.getOriginalMessage());
            if (message.startsWith("Cannot map `null` into type")) {
                // a missing or null number or boolean: the field is required
                throw new ApiError(400, "invalid_json", "a value is required" + where(e));
            }
            throw new ApiError(400, "invalid_json", message + where(e));
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid_json", "malformed JSON: " + firstLine(e.getOriginalMessage()) + where(e));
        } catch (IOException e) {
            throw new ApiError(400, "invalid_json", "unreadable JSON: " + e.getMessage());
        }
        if (value == null) {
            // the document "null": every route reads a body's fields at once, so it would be a 500
            throw new ApiError(400, "invalid_json", "the request needs a JSON object, not null");
        }
        return value;
    }

    /** Where a document broke: the field's path and the line and column, for an error's message. */
    static String where(JsonProcessingException e) {
        StringBuilder out = new StringBuilder();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            out.append(" at ").append(m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "["));
        }
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            out.append(" (line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr()).append(')');
        }
        return out.toString();
    }

    static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
