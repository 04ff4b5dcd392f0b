package dev.petrel.web;

import dev.petrel.event.EventFeed;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.QueueActions;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The dashboard: sign-in with an admin token at {@code /}, its pages under {@code /dashboard} (admin routes, open
 * to a signed-in session), its actions as POSTs that carry the session's CSRF token, and its few static files
 * under {@code /assets} (uPlot from its WebJar, a small script and style sheet of its own).
 */
public final class Dashboard {

    /** Where the pages and actions live; the {@link AdminGate} lets a session change things only under it. */
    static final String PAGES = "/dashboard";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String[]> ASSETS = Map.of(
            "uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"},
            "dashboard.js", new String[] {"/dev/petrel/web/dashboard.js", "text/javascript; charset=utf-8"},
            "dashboard.css", new String[] {"/dev/petrel/web/dashboard.css", "text/css; charset=utf-8"});

    /** What the dashboard shows and acts on. */
    public record Parts(AdminGate gate, DashboardSessions sessions, QueueActions queue, EventFeed feed,
                        Traffic traffic, SiteStatus sites, WebhookStatus webhooks, Clock clock, Consumer<String> log) {}

    /** A dashboard action: the request, its form, the session that sent it. */
    @FunctionalInterface
    private interface Action {
        Answer handle(Exchange x, Map<String, String> form) throws IOException;
    }

    private final Parts parts;
    private final DashboardPages pages;
    private final Audit audit;

    public Dashboard(Parts parts) {
        this.parts = parts;
        this.pages = new DashboardPages(parts);
        this.audit = new Audit(parts.log());
    }

    public void addTo(Router router) {
        router.get("/", Route.Access.PUBLIC, this::signInPage);
        router.post("/login", Route.Access.PUBLIC, this::signIn);
        router.post("/logout", Route.Access.PUBLIC, this::signOut);
        router.get("/assets/{name}", Route.Access.PUBLIC, Dashboard::asset);
        router.get(PAGES, Route.Access.ADMIN, x -> page(x, pages::overview));
        router.get(PAGES + "/queue", Route.Access.ADMIN, x -> page(x, pages::queue));
        router.get(PAGES + "/sites", Route.Access.ADMIN, x -> page(x, pages::sites));
        router.get(PAGES + "/events", Route.Access.ADMIN, x -> page(x, pages::events));
        router.get(PAGES + "/webhooks", Route.Access.ADMIN, x -> page(x, pages::webhooks));
        action(router, PAGES + "/queue/{id}/hold", (x, f) -> queue(x, "hold", parts.queue()::hold));
        action(router, PAGES + "/queue/{id}/release", (x, f) -> queue(x, "release", parts.queue()::release));
        action(router, PAGES + "/queue/{id}/delete", (x, f) -> queue(x, "delete", parts.queue()::delete));
    }

    @FunctionalInterface
    private interface Page {
        String render(Exchange x, String csrf) throws IOException;
    }

    private Answer page(Exchange x, Page page) throws IOException {
        // a bearer token may read the pages too (curl); only a session has a CSRF token to put in the forms
        Optional<DashboardSessions.Session> session = parts.sessions().session(x);
        Answer answer = Html.answer(200, page.render(x, session.map(DashboardSessions.Session::csrf).orElse("")));
        // the cookie's lifetime starts again with each page, as the session's idle time does
        return session.map(s -> answer.with("Set-Cookie", parts.sessions().setCookie(s))).orElse(answer);
    }

    // every action wants the session's CSRF token from its form, checked before the action runs
    private void action(Router router, String template, Action action) {
        router.post(template, Route.Access.ADMIN, x -> {
            DashboardSessions.Session session = parts.sessions().session(x).orElseThrow(() -> new ApiError(403,
                    "forbidden", "dashboard actions are for a signed-in dashboard session; the admin API is at"
                    + " /admin/v1"));
            Map<String, String> form = Html.form(x.body());
            if (!DashboardSessions.csrfMatches(session, form.get(DashboardSessions.CSRF_FIELD))) {
                throw csrfRefused();
            }
            return action.handle(x, form);
        });
    }

    private static ApiError csrfRefused() {
        return new ApiError(403, "csrf", "the form's CSRF token is missing or wrong; reload the page and try again");
    }

    @FunctionalInterface
    private interface QueueChange {
        boolean apply(QueueId id) throws IOException;
    }

    private Answer queue(Exchange x, String verb, QueueChange change) throws IOException {
        QueueId id = x.path("id", QueueId::new);
        if (!change.apply(id)) {
            throw ApiError.notFound("no message " + id.value() + " in the queue");
        }
        audit.record(x, "queue " + verb + " id=" + id + " (dashboard)");
        return Html.redirect(PAGES + "/queue");
    }

    private Answer signInPage(Exchange x) {
        if (parts.sessions().session(x).isPresent()) {
            return Html.redirect(PAGES);
        }
        return Html.answer(200, signInForm(null));
    }

    private Answer signIn(Exchange x) {
        String token = Html.form(x.body()).getOrDefault("token", "").strip();
        String principal;
        try {
            principal = parts.gate().verify(x, token);
        } catch (ApiError e) {
            String why = e.status() == 429 ? "Too many failed sign-ins from this address; try again later."
                    : "That admin token is not valid, or was revoked.";
            return Html.answer(e.status(), signInForm(why));
        }
        DashboardSessions.Session session = parts.sessions().open(principal);
        parts.log().accept("admin action=\"dashboard sign-in\" by=" + principal + " client="
                + x.client().getHostAddress());
        return Html.redirect(PAGES).with("Set-Cookie", parts.sessions().setCookie(session));
    }

    private Answer signOut(Exchange x) {
        Optional<DashboardSessions.Session> session = parts.sessions().session(x);
        if (session.isPresent()) {
            if (!DashboardSessions.csrfMatches(session.get(), Html.form(x.body()).get(DashboardSessions.CSRF_FIELD))) {
                throw csrfRefused();
            }
            parts.sessions().close(x);
        }
        return Html.redirect("/").with("Set-Cookie", parts.sessions().clearCookie());
    }

    private static String signInForm(String error) {
        return Html.head("Sign in") + "<main class=\"signin\">\n<h1>Petrel</h1>\n"
                + (error == null ? "" : "<p class=\"error\" id=\"error\">" + Html.esc(error) + "</p>\n")
                + "<form method=\"post\" action=\"/login\">\n<label for=\"token\">Admin token</label>\n"
                + "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\" required autofocus>\n"
                + "<button type=\"submit\" id=\"signin\">Sign in</button>\n</form>\n"
                + "<p class=\"hint\"><code>petrel admin-token create NAME</code> makes one.</p>\n</main>\n"
                + "</body>\n</html>\n";
    }

    private static Answer asset(Exchange x) throws IOException {
        String[] asset = ASSETS.get(x.path("name"));
        if (asset == null) {
            throw ApiError.notFound("no asset " + x.path("name"));
        }
        try (InputStream in = Dashboard.class.getResourceAsStream(asset[0])) {
            if (in == null) {
                throw new IOException("the jar has no " + asset[0]);
            }
            return new Answer(200, asset[1], in.readAllBytes(), Map.of("Cache-Control", "max-age=3600"));
        }
    }
}
