package dev.petrel.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and a path template ({@code /admin/v1/queue/{id}}), who may call it, the handler, and how its errors
 * are written. A template's parameter matches one path segment.
 */
public record Route(String method, String template, Access access, Handler handler, Errors errors) {

    /** A route whose errors have Petrel's one shape ({@link Answer#error}). */
    public Route(String method, String template, Access access, Handler handler) {
        this(method, template, access, handler, Answer::error);
    }

    /** Who may call a route. */
    public enum Access {
        /** Anyone: {@code /healthz}, {@code /metrics}, the unsubscribe pages, the sign-in page. */
        PUBLIC,
        /** An admin token as {@code Authorization: Bearer}, or the dashboard's signed-in session. */
        ADMIN,
        /**
         * A tenant's routes ({@code /v1/events}, {@code /v1/webhooks}, {@code GET /v1/messages/{id}}): an API key as
         * {@code Authorization: Bearer} acts for its tenant; an admin token (or session) acts for {@code default}.
         */
        TENANT,
        /** Sending: an API key only, which chooses the tenant and (when scoped) the stream. */
        SENDER,
        /** Sending as Postmark's API does: an API key only, as {@code X-Postmark-Server-Token}. */
        POSTMARK
    }

    /**
     * Writes an error of this route: every route but the Postmark-compatible ones writes Petrel's one shape; those
     * write Postmark's ({@code ErrorCode}, {@code Message}), so that Postmark's client libraries understand them.
     * Errors met before a route is found (404, 405) keep Petrel's shape.
     */
    @FunctionalInterface
    public interface Errors {
        Answer render(ApiError error);
    }

    /** Turns a request into an answer; an {@link ApiError} becomes the error answer. */
    @FunctionalInterface
    public interface Handler {
        Answer handle(Exchange exchange) throws IOException;
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

    /** The template as a pattern, and its parameters' names in order. */
    Matcher matcher(String path) {
        return pattern().matcher(path);
    }

    Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAMETER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        Matcher m = PARAMETER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The path parameters of a path this route matches. */
    static Map<String, String> parameters(List<String> names, Matcher matched) {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), java.net.URLDecoder.decode(matched.group(i + 1).replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
