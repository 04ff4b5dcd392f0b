package dev.petrel.web;

import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.compliance.UnsubscribeRequests;
import dev.petrel.compliance.UnsubscribeToken;
import dev.petrel.event.EventFeed;
import java.io.IOException;
import java.time.Clock;

/**
 * One-click unsubscribe (RFC 8058) at the link intake put in List-Unsubscribe: {@code POST /unsubscribe/{token}}
 * with {@code List-Unsubscribe=One-Click} writes a {@code message.unsubscribed} event (the suppression writer
 * suppresses the recipient on the link's stream from it) and answers 200 with no redirect and no sign-in, as
 * RFC 8058 3.2 asks; {@code GET} shows a page whose button makes that POST and changes nothing itself, since link
 * scanners and previews fetch every link in a message. A forged, damaged or expired token answers 404, as a link
 * that names nothing.
 */
final class UnsubscribeRoutes {

    private static final String TEMPLATE = "/unsubscribe/{token}";
    // RFC 8058 3.2: the POST body a mailbox provider sends, and the one the page's button sends
    private static final String KEY = "List-Unsubscribe";
    private static final String ONE_CLICK = "One-Click";

    private final UnsubscribeLinks links;
    private final UnsubscribeRequests requests;

    UnsubscribeRoutes(UnsubscribeLinks links, EventFeed feed, Clock clock) {
        this.links = links;
        this.requests = new UnsubscribeRequests(links, feed, clock);
    }

    void addTo(Router router) {
        router.get(TEMPLATE, Route.Access.PUBLIC, this::page);
        router.post(TEMPLATE, Route.Access.PUBLIC, this::unsubscribe);
    }

    private Answer page(Exchange x) {
        UnsubscribeToken token = token(x);
        return Html.answer(200, document("Unsubscribe", "<p>Stop mail of <b>" + Html.esc(token.tenant()) + "</b> ("
                + Html.esc(token.stream()) + ") to <b>" + Html.esc(token.recipient()) + "</b>?</p>\n"
                + "<form method=\"post\" action=\"" + UnsubscribeLinks.PATH + Html.esc(x.path("token")) + "\">"
                + "<input type=\"hidden\" name=\"" + KEY + "\" value=\"" + ONE_CLICK + "\">"
                + "<button type=\"submit\">Unsubscribe</button></form>"));
    }

    private Answer unsubscribe(Exchange x) throws IOException {
        UnsubscribeToken token = token(x);
        if (!ONE_CLICK.equals(Html.form(x.body()).get(KEY))) {
            throw ApiError.badRequest("the body is List-Unsubscribe=One-Click (RFC 8058 3.2)");
        }
        // the same request as mail to the mailto address makes
        requests.unsubscribe(token);
        return Html.answer(200, document("Unsubscribed", "<p><b>" + Html.esc(token.recipient())
                + "</b> gets no more mail of <b>" + Html.esc(token.tenant()) + "</b> (" + Html.esc(token.stream())
                + ").</p>"));
    }

    private UnsubscribeToken token(Exchange x) {
        return links.read(x.path("token")).orElseThrow(() -> ApiError.notFound("no such unsubscribe link"));
    }

    // a page of its own, without the dashboard's scripts: recipients see it, not operators
    private static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"robots\""
                + " content=\"noindex\">\n<title>" + Html.esc(title) + "</title>\n</head>\n<body>\n<h1>"
                + Html.esc(title) + "</h1>\n" + body + "\n</body>\n</html>\n";
    }
}
