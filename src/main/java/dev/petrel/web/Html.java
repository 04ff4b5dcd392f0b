package dev.petrel.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's HTML: text escaped for the page, the shared layout (navigation, sign-out form), and the answer
 * with its security headers. Nothing comes from another origin; the Content-Security-Policy says so to the browser.
 */
final class Html {

    /** Only this origin's scripts, styles and images; no frames, no forms to elsewhere. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private static final List<String[]> NAVIGATION = List.of(new String[] {"/dashboard", "Overview"},
            new String[] {"/dashboard/queue", "Queue"}, new String[] {"/dashboard/sites", "Sites"},
            new String[] {"/dashboard/events", "Events"}, new String[] {"/dashboard/webhooks", "Webhooks"});

    private Html() {}

    /** Text made safe for an element's content or a quoted attribute. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A page with the layout around it: the title, the navigation with {@code here} marked, the body. */
    static String page(String title, String here, String csrf, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] item : NAVIGATION) {
            nav.append("<a href=\"").append(item[0]).append('"')
                    .append(item[0].equals(here) ? " class=\"here\"" : "").append('>').append(item[1]).append("</a>");
        }
        return head(title) + "<header><span class=\"brand\">Petrel</span><nav>" + nav + "</nav>"
                + "<form method=\"post\" action=\"/logout\">" + csrfField(csrf)
                + "<button type=\"submit\">Sign out</button></form></header>\n<main>\n<h1>" + esc(title) + "</h1>\n"
                + body + "</main>\n</body>\n</html>\n";
    }

    /** The document up to the body, with the dashboard's style sheets and scripts. */
    static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title)
                + " · Petrel</title>\n<link rel=\"stylesheet\" href=\"/assets/uPlot.min.css\">\n"
                + "<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">\n"
                + "<script src=\"/assets/uPlot.iife.min.js\" defer></script>\n"
                + "<script src=\"/assets/dashboard.js\" defer></script>\n</head>\n<body>\n";
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"" + DashboardSessions.CSRF_FIELD + "\" value=\"" + esc(csrf) + "\">";
    }

    /** A button that POSTs to {@code action} with the session's CSRF token. */
    static String button(String action, String label, String csrf) {
        return "<form method=\"post\" action=\"" + esc(action) + "\" class=\"inline\">" + csrfField(csrf)
                + "<button type=\"submit\">" + esc(label) + "</button></form>";
    }

    /** 200 with the page, and the headers that keep it to this origin. */
    static Answer answer(int status, String html) {
        return Answer.text(status, Answer.HTML, html).with("Content-Security-Policy", POLICY)
                .with("Cache-Control", "no-store").with("Referrer-Policy", "same-origin")
                .with("X-Frame-Options", "DENY");
    }

    /** 303 to another page (after a POST, so a reload does not repeat it). */
    static Answer redirect(String location) {
        return new Answer(303, null, new byte[0], Map.of("Location", location, "Cache-Control", "no-store"));
    }

    /** An application/x-www-form-urlencoded body, each name's first value. */
    static Map<String, String> form(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.US_ASCII);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }
}
