package dev.petrel.web;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One request as a handler sees it: the matched route's path parameters, the query, the headers, the client's
 * address, the body (already read, within the size limit), and who it is: the admin token's name as the
 * {@code principal} logs show, and the {@link Caller} (an operator or an API key).
 */
public record Exchange(String method, String path, Map<String, String> pathParameters,
                       Map<String, List<String>> query, Map<String, String> headers, InetAddress client, byte[] body,
                       String principal, Caller caller) {

    public Exchange {
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A request from an operator named {@code principal} (or from anyone, when null). */
    public Exchange(String method, String path, Map<String, String> pathParameters, Map<String, List<String>> query,
                    Map<String, String> headers, InetAddress client, byte[] body, String principal) {
        this(method, path, pathParameters, query, headers, client, body, principal,
                principal == null ? null : new Caller.Operator(principal));
    }

    /** Who is calling, on a route that is not public. */
    public Caller who() {
        if (caller == null) {
            throw new IllegalStateException("a public route has no caller");
        }
        return caller;
    }

    /** A path parameter of the route ({@code {id}}). */
    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no parameter " + name);
        }
        return value;
    }

    /** A path parameter parsed: a value the parser refuses is a 404, as nothing can be found under it. */
    public <T> T path(String name, Function<String, T> parser) {
        String text = path(name);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound("no such " + name + " \"" + text + "\"");
        }
    }

    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** A query parameter parsed: a value the parser refuses is a 400 naming the parameter. */
    public <T> Optional<T> query(String name, Function<String, T> parser) {
        return query(name).map(text -> {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("query parameter " + name + ": " + e.getMessage());
            }
        });
    }

    /** A header, by its name in lower case. */
    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    /** The body as a {@code type}; 400 when it is not one. */
    public <T> T read(Class<T> type) {
        return Json.read(body, type);
    }
}
