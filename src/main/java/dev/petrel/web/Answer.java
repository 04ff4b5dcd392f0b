package dev.petrel.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, a content type, a body, and any other headers. JSON bodies are made by
 * {@link Json}; handlers return values and never write to the connection themselves.
 */
public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";
    public static final String HTML = "text/html; charset=utf-8";

    public Answer {
        headers = Map.copyOf(headers);
    }

    /** 200 with the value as JSON. */
    public static Answer ok(Object value) {
        return json(200, value);
    }

    public static Answer json(int status, Object value) {
        return new Answer(status, JSON, Json.write(value), Map.of());
    }

    /** 204: done, nothing to say. */
    public static Answer noContent() {
        return new Answer(204, null, new byte[0], Map.of());
    }

    public static Answer text(int status, String contentType, String body) {
        return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Answer error(ApiError e) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", e.code());
        inner.put("message", e.getMessage());
        return new Answer(e.status(), JSON, Json.write(Map.of("error", inner)), e.headers());
    }

    /** The same answer with one more header. */
    public Answer with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, contentType, body, more);
    }
}
