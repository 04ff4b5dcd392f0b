package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard of a real server process: signed in and used from headless Chromium driven by Selenium (charts
 * drawn, a held message released from the queue page and delivered to its Maildir, each page saved as a
 * screenshot under target/dashboard-screenshots), and its sessions and CSRF checks seen through curl.
 */
class DashboardTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    static final String DOMAIN = "dash.e2e.test";
    static final String OPS = "ops@" + DOMAIN;
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    private static final Pattern COOKIE = Pattern.compile("(?im)^Set-Cookie: (petrel_session=[0-9a-f]{64});(.*)$");

    private static PetrelHome home;
    private static ServerProcess server;
    private static HttpClientCurl http;
    private static String token;

    @BeforeAll
    static void startServer() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        // every message arriving is held, so the test releases it from the dashboard
        Files.writeString(home.config(), Files.readString(home.config()) + "\n[policy]\nhold = true\n");
        home.petrelOk(null, "domain", "add", DOMAIN, "--local");
        home.addUser(OPS, "secret-password");
        token = home.petrelOk(null, "admin-token", "create", "ops").stdout().strip();
        server = home.start();
        http = new HttpClientCurl(home.dir(), base());
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    static String base() {
        return "http://127.0.0.1:" + server.port("http");
    }

    @Test
    void anOperatorSignsInSeesTheChartsAndReleasesAHeldMessageThatIsThenDelivered() throws Exception {
        String subject = "dashboard release " + System.nanoTime();
        home.petrelOk(("Subject: " + subject + "\n\nheld until the dashboard lets it go\n")
                .getBytes(StandardCharsets.UTF_8), "sendmail", "-f", "app@" + DOMAIN, OPS);
        String id = Poll.until(Duration.ofSeconds(30), "the held message in the queue", () -> {
            List<String> ids = home.queueList();
            return ids.isEmpty() ? null : ids.getFirst();
        });
        Path maildir = home.dataDir().resolve("mail").resolve(DOMAIN).resolve("ops");
        try (Browser browser = Browser.start(scratch.newFolder("chromium"), base())) {
            browser.signIn(token);
            browser.open("/dashboard/queue");
            assertEquals("hold", browser.text("#m-" + id + " td.state"), "the message is held");
            browser.screenshot("queue-held");
            browser.click("form[action='/dashboard/queue/" + id + "/release'] button");
            Path delivered = Poll.until(Duration.ofSeconds(30), "the released message in " + maildir,
                    () -> delivered(maildir, subject));
            assertTrue(Files.readString(delivered).contains("held until the dashboard lets it go"));
            // the mailbox file is written before the outcome is recorded: the queue page catches up a moment later
            Poll.until(Duration.ofSeconds(30), "the message gone from the queue page", () -> {
                browser.open("/dashboard/queue");
                return browser.driver().findElements(org.openqa.selenium.By.id("m-" + id)).isEmpty() ? true : null;
            });
            browser.screenshot("queue");
            browser.open("/dashboard/events?message_id=" + id);
            String types = browser.text("#events");
            assertTrue(types.contains("queued") && types.contains("released") && types.contains("delivered"), types);
            browser.screenshot("events");
            browser.open("/dashboard");
            Browser.Ink ink = browser.chartInk("#chart-hour");
            browser.screenshot("overview");
            assertTrue(ink.painted() > 1000, "the hour's chart is drawn: " + ink);
            assertTrue(ink.series() > 20, "the series are drawn in their colours: " + ink);
            assertTrue(browser.chartInk("#chart-day").painted() > 1000, "the day's chart is drawn");
            browser.open("/dashboard/sites");
            browser.screenshot("sites");
            browser.open("/dashboard/webhooks");
            assertTrue(browser.text("main").contains("No webhook endpoints"));
            browser.screenshot("webhooks");
            browser.click("header form[action='/logout'] button");
            // the click returns once the form is sent; the browser lands on the sign-in page a moment later
            Poll.until(java.time.Duration.ofSeconds(30), "the sign-in page after logging out",
                    () -> browser.driver().getCurrentUrl().endsWith("/") ? true : null);
            browser.open("/dashboard");
            assertTrue(browser.driver().findElements(org.openqa.selenium.By.id("token")).size() == 1,
                    "signed out: the dashboard sends the browser to sign in");
        }
    }

    private static Path delivered(Path maildir, String subject) throws Exception {
        Path fresh = maildir.resolve("new");
        if (!Files.isDirectory(fresh)) {
            return null;
        }
        try (Stream<Path> files = Files.list(fresh)) {
            for (Path f : files.toList()) {
                if (Files.readString(f, StandardCharsets.ISO_8859_1).contains("Subject: " + subject)) {
                    return f;
                }
            }
        }
        return null;
    }

    @Test
    void signingInGivesAStrictHttpOnlySessionCookieAndEveryChangeWantsTheSessionsCsrfToken() throws Exception {
        HttpClientCurl.Response wrong = http.send("POST", "/login", null, null, "--data-urlencode", "token=pat_wrong");
        assertEquals(401, wrong.status(), wrong.describe());
        assertTrue(wrong.body().contains("not valid"), wrong.describe());

        HttpClientCurl.Response in = http.send("POST", "/login", null, null, "--data-urlencode", "token=" + token);
        assertEquals(303, in.status(), in.describe());
        Matcher set = COOKIE.matcher(in.headers());
        assertTrue(set.find(), in.describe());
        String cookie = set.group(1);
        String flags = set.group(2);
        for (String flag : List.of("Path=/", "HttpOnly", "SameSite=Strict")) {
            assertTrue(flags.contains(flag), flags);
        }
        assertFalse(flags.contains("Secure"), "plain HTTP: a Secure cookie would never come back; " + flags);

        HttpClientCurl.Response page = http.send("GET", "/dashboard", null, null, "-H", "Cookie: " + cookie);
        assertEquals(200, page.status(), page.describe());
        assertTrue(page.headers().contains("Content-Security-Policy: default-src 'self'"), page.headers());
        Matcher csrf = CSRF.matcher(page.body());
        assertTrue(csrf.find(), page.body());
        String action = "/dashboard/queue/0123456789BC/hold";

        assertEquals(403, http.send("POST", action, null, null, "-H", "Cookie: " + cookie, "--data", "x=1").status(),
                "no CSRF token");
        assertEquals(403, http.send("POST", action, null, null, "-H", "Cookie: " + cookie, "--data",
                "csrf=" + "0".repeat(64)).status(), "another CSRF token");
        assertEquals(404, http.send("POST", action, null, null, "-H", "Cookie: " + cookie, "--data",
                "csrf=" + csrf.group(1)).status(), "the right token: the action runs, and finds no such message");
        assertEquals(403, http.send("POST", action, token, null, "--data", "csrf=" + csrf.group(1)).status(),
                "dashboard actions are for a session, not a bearer token");

        assertEquals(200, http.send("GET", "/admin/v1/queue", null, null, "-H", "Cookie: " + cookie).status());
        HttpClientCurl.Response flush = http.send("POST", "/admin/v1/queue/flush", null, null, "-H", "Cookie: " + cookie);
        assertEquals(403, flush.status(), "the JSON admin API takes changes from bearer tokens only; " + flush.describe());

        assertEquals(403, http.send("POST", "/logout", null, null, "-H", "Cookie: " + cookie, "--data", "x=1").status());
        HttpClientCurl.Response out = http.send("POST", "/logout", null, null, "-H", "Cookie: " + cookie, "--data",
                "csrf=" + csrf.group(1));
        assertEquals(303, out.status(), out.describe());
        assertTrue(out.headers().contains("petrel_session=; Path=/; Max-Age=0"), out.headers());
        HttpClientCurl.Response after = http.send("GET", "/dashboard", null, null, "-H", "Cookie: " + cookie);
        assertEquals(303, after.status(), "the session ended: back to sign-in; " + after.describe());
        assertTrue(after.headers().contains("Location: /"), after.headers());
    }

    @Test
    void uPlotAndTheDashboardsOwnFilesAreServedFromTheJar() throws Exception {
        HttpClientCurl.Response uplot = http.get("/assets/uPlot.iife.min.js", null);
        assertEquals(200, uplot.status(), uplot.headers());
        assertTrue(uplot.headers().contains("Content-Type: text/javascript"), uplot.headers());
        assertTrue(uplot.body().contains("uPlot"));
        assertEquals(200, http.get("/assets/dashboard.css", null).status());
        assertEquals(404, http.get("/assets/petrel.toml", null).status());
        HttpClientCurl.Response signIn = http.get("/", null);
        assertEquals(200, signIn.status());
        assertTrue(signIn.body().contains("name=\"token\""), signIn.body());
    }
}
