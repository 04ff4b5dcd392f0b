package dev.petrel.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of the HTTP surface and how a request finds one: a path no route has is a 404, a path some route
 * has with another method is a 405 listing the methods it has.
 */
public final class Router {

    private record Compiled(Route route, Pattern pattern, List<String> names) {}

    /** What a request matched. */
    public sealed interface Match {}

    public record Found(Route route, Map<String, String> parameters) implements Match {}

    public record NoRoute() implements Match {}

    public record WrongMethod(List<String> allowed) implements Match {}

    private final List<Compiled> routes = new ArrayList<>();
    // the routes of a template without parameters, by method and path: the send routes are found without trying
    // every route's regular expression (what the loop of match would find: a literal template wins)
    private final Map<String, Route> literal = new HashMap<>();

    public Router add(String method, String template, Route.Access access, Route.Handler handler) {
        return add(new Route(method, template, access, handler));
    }

    public Router add(Route route) {
        for (Compiled c : routes) {
            if (c.route().method().equals(route.method()) && c.route().template().equals(route.template())) {
                throw new IllegalArgumentException("two routes for " + route.method() + " " + route.template());
            }
        }
        Compiled compiled = new Compiled(route, route.pattern(), route.parameterNames());
        routes.add(compiled);
        if (compiled.names().isEmpty()) {
            literal.put(route.method() + " " + route.template(), route);
        }
        return this;
    }

    public Router get(String template, Route.Access access, Route.Handler handler) {
        return add("GET", template, access, handler);
    }

    public Router post(String template, Route.Access access, Route.Handler handler) {
        return add("POST", template, access, handler);
    }

    public Router delete(String template, Route.Access access, Route.Handler handler) {
        return add("DELETE", template, access, handler);
    }

    public Router patch(String template, Route.Access access, Route.Handler handler) {
        return add("PATCH", template, access, handler);
    }

    public Router put(String template, Route.Access access, Route.Handler handler) {
        return add("PUT", template, access, handler);
    }

    /** Every route, in the order added. */
    public List<Route> routes() {
        return routes.stream().map(Compiled::route).toList();
    }

    /** The route for this method and path; a literal template wins over one with parameters. */
    public Match match(String method, String path) {
        // HEAD is answered by a GET route too, so it takes the long way
        Route named = method.equals("HEAD") ? null : literal.get(method + " " + path);
        if (named != null) {
            return new Found(named, Map.of());
        }
        // a path a literal template names is that route's path: a template's methods are not offered for it
        TreeSet<String> allowed = new TreeSet<>();
        TreeSet<String> allowedLiterally = new TreeSet<>();
        Found best = null;
        for (Compiled c : routes) {
            Matcher m = c.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            String routeMethod = c.route().method();
            boolean fits = routeMethod.equals(method) || (method.equals("HEAD") && routeMethod.equals("GET"));
            if (!fits) {
                (c.names().isEmpty() ? allowedLiterally : allowed).add(routeMethod);
                continue;
            }
            if (best == null || (c.names().isEmpty() && !best.parameters().isEmpty())) {
                best = new Found(c.route(), Route.parameters(c.names(), m));
            }
        }
        if (best != null) {
            return best;
        }
        if (!allowedLiterally.isEmpty()) {
            return new WrongMethod(List.copyOf(allowedLiterally));
        }
        return allowed.isEmpty() ? new NoRoute() : new WrongMethod(List.copyOf(allowed));
    }
}
