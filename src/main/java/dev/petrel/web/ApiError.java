package dev.petrel.web;

/**
 * A request that cannot be answered as asked, and how to say so: the HTTP status, a stable code for programs
 * and a sentence for people. Every error of the HTTP surface is one of these, rendered in one place as
 * {@code {"error": {"code": "...", "message": "..."}}}; the codes are listed in the OpenAPI document.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final java.util.Map<String, String> headers;

    public ApiError(int status, String code, String message) {
        this(status, code, message, java.util.Map.of());
    }

    private ApiError(int status, String code, String message, java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = java.util.Map.copyOf(headers);
    }

    /** The same error, answered with one more header ({@code Retry-After}, {@code WWW-Authenticate}). */
    public ApiError with(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiError(status, code, getMessage(), more);
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }
}
