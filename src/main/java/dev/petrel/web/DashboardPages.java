package dev.petrel.web;

import dev.petrel.event.EventFeed;
import dev.petrel.event.EventJson;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Domain;
import dev.petrel.queue.NodeStatus;
import dev.petrel.queue.QueueFilter;
import dev.petrel.queue.QueueShape;
import dev.petrel.queue.QueuedMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The dashboard's pages, rendered on the server from the queue, the event feed and delivery's sites. */
final class DashboardPages {

    private static final int MAX_MESSAGES = 200;
    private static final int MAX_EVENTS = 200;
    /** How far back the events page searches: the newest events of the feed. */
    private static final int EVENTS_SEARCHED = 20_000;
    private static final int FAILING = 10;

    private final Dashboard.Parts parts;

    DashboardPages(Dashboard.Parts parts) {
        this.parts = parts;
    }

    String overview(Exchange x, String csrf) throws IOException {
        Instant now = parts.clock().instant();
        List<QueuedMessage> all = parts.queue().list(QueueFilter.ALL);
        String body = depth(all) + nodes(parts.queue().nodes()) + "<h2>Last hour, per minute</h2>\n<div class=\"chart\" id=\"chart-hour\""
                + " data-series=\"hour\"></div>\n<h2>Last day, per minute</h2>\n<div class=\"chart\" id=\"chart-day\""
                + " data-series=\"day\"></div>\n<script type=\"application/json\" id=\"traffic\">" + traffic(now)
                + "</script>\n" + failingDomains(now) + lastErrors(all);
        return Html.page("Overview", Dashboard.PAGES, csrf, body);
    }

    private static String depth(List<QueuedMessage> all) {
        Map<QueueFilter.State, Integer> byState = new EnumMap<>(QueueFilter.State.class);
        int recipients = 0;
        for (QueuedMessage m : all) {
            byState.merge(QueueFilter.State.of(m), 1, Integer::sum);
            recipients += m.pending().size();
        }
        StringBuilder out = new StringBuilder("<section class=\"cards\" id=\"depth\">");
        out.append(card("In the queue", all.size())).append(card("Recipients to deliver", recipients));
        for (QueueFilter.State s : QueueFilter.State.values()) {
            out.append(card(s.label(), byState.getOrDefault(s, 0)));
        }
        return out.append("</section>\n").toString();
    }

    // the nodes that share the queue on PostgreSQL; nothing for the embedded store's one server
    private static String nodes(List<NodeStatus> nodes) {
        if (nodes.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<h2>Nodes</h2>\n<table id=\"nodes\"><tr><th>Node</th><th>Number</th>"
                + "<th>Started</th><th>Last heartbeat</th><th>State</th><th>Messages</th></tr>\n");
        for (NodeStatus n : nodes) {
            out.append("<tr><td>").append(Html.esc(n.name())).append("</td><td class=\"n\">").append(n.number())
                    .append("</td><td>").append(time(n.started())).append("</td><td>")
                    .append(n.age().toSeconds()).append(" s ago</td><td class=\"").append(n.state()).append("\">")
                    .append(n.state()).append("</td><td class=\"n\">").append(n.owned()).append("</td></tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    private static String card(String label, int value) {
        return "<div class=\"card\"><div class=\"value\">" + value + "</div><div>" + Html.esc(label) + "</div></div>";
    }

    // the chart data, as a JSON block the page's script reads (a data block runs nothing: the policy allows it)
    private String traffic(Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hour", series(parts.traffic().series(now, 60)));
        out.put("day", series(parts.traffic().series(now, Traffic.MINUTES)));
        return new String(Json.write(out), StandardCharsets.UTF_8).replace("<", "\\u003c");
    }

    private static Map<String, Object> series(Traffic.Series s) {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = s.counts().size();
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = (s.end() - n + 1 + i) * 60;
        }
        out.put("t", times);
        for (Traffic.Kind k : Traffic.Kind.values()) {
            out.put(k.name().toLowerCase(Locale.ROOT), s.counts().stream().mapToLong(c -> c[k.ordinal()]).toArray());
        }
        return out;
    }

    private String failingDomains(Instant now) {
        List<Traffic.Failing> failing = parts.traffic().failingMost(now, FAILING);
        StringBuilder out = new StringBuilder("<h2>Failing most (deferred or bounced recipients, by domain)</h2>\n");
        if (failing.isEmpty()) {
            return out.append("<p class=\"quiet\">Nothing failed.</p>\n").toString();
        }
        out.append("<table id=\"failing\"><tr><th>Domain</th><th>Failures</th><th>Last reply</th><th>At</th></tr>\n");
        for (Traffic.Failing f : failing) {
            out.append("<tr><td>").append(Html.esc(f.domain())).append("</td><td class=\"n\">").append(f.count())
                    .append("</td><td>").append(Html.esc(f.lastReply())).append("</td><td>").append(time(f.last()))
                    .append("</td></tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    private static String lastErrors(List<QueuedMessage> all) {
        Map<String, Integer> errors = new TreeMap<>();
        for (QueuedMessage m : all) {
            String e = m.state().lastError();
            if (e != null && !e.isBlank()) {
                errors.merge(e, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder("<h2>Last errors of queued messages</h2>\n");
        if (errors.isEmpty()) {
            return out.append("<p class=\"quiet\">None.</p>\n").toString();
        }
        out.append("<table><tr><th>Messages</th><th>Last error</th></tr>\n");
        errors.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(FAILING)
                .forEach(e -> out.append("<tr><td class=\"n\">").append(e.getValue()).append("</td><td>")
                        .append(Html.esc(e.getKey())).append("</td></tr>\n"));
        return out.append("</table>\n").toString();
    }

    String queue(Exchange x, String csrf) throws IOException {
        QueueFilter filter = new QueueFilter(x.query("state").filter(s -> !s.isEmpty()).map(s -> parse(() ->
                QueueFilter.State.parse(s))).orElse(null), x.query("domain").filter(s -> !s.isEmpty())
                .map(s -> parse(() -> Domain.parse(s))).orElse(null), x.query("sender").filter(s -> !s.isEmpty())
                .orElse(null), null, null);
        QueueShape shape = QueueShape.of(parts.queue().list(QueueFilter.ALL), parts.clock().instant());
        List<QueuedMessage> matched = parts.queue().list(filter);
        String body = "<h2>Shape (recipients to deliver, by domain and age in minutes)</h2>\n" + shape(shape)
                + "<h2>Messages</h2>\n" + filterForm(filter) + messages(matched, csrf);
        return Html.page("Queue", Dashboard.PAGES + "/queue", csrf, body);
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static String shape(QueueShape shape) {
        StringBuilder out = new StringBuilder("<table id=\"qshape\"><tr><th></th><th>T</th>");
        QueueShape.bucketNames().forEach(b -> out.append("<th>").append(Html.esc(b)).append("</th>"));
        out.append("</tr>\n");
        shapeRow(out, shape.total());
        shape.rows().forEach(r -> shapeRow(out, r));
        return out.append("</table>\n").toString();
    }

    private static void shapeRow(StringBuilder out, QueueShape.Row row) {
        out.append("<tr><td>").append(Html.esc(row.domain())).append("</td><td class=\"n\">").append(row.total())
                .append("</td>");
        row.counts().forEach(c -> out.append("<td class=\"n\">").append(c == 0 ? "" : c).append("</td>"));
        out.append("</tr>\n");
    }

    private static String filterForm(QueueFilter f) {
        StringBuilder states = new StringBuilder("<option value=\"\">any</option>");
        for (QueueFilter.State s : QueueFilter.State.values()) {
            states.append("<option").append(s == f.state() ? " selected" : "").append('>').append(s.label())
                    .append("</option>");
        }
        return "<form method=\"get\" action=\"/dashboard/queue\" class=\"filters\">"
                + "<label>State <select name=\"state\">" + states + "</select></label>"
                + "<label>Domain <input name=\"domain\" value=\"" + Html.esc(f.domain() == null ? "" : f.domain().name())
                + "\"></label><label>Sender <input name=\"sender\" value=\"" + Html.esc(f.sender()) + "\"></label>"
                + "<button type=\"submit\">Filter</button></form>\n";
    }

    private static String messages(List<QueuedMessage> matched, String csrf) {
        StringBuilder out = new StringBuilder("<p>" + matched.size() + " message(s)"
                + (matched.size() > MAX_MESSAGES ? ", the oldest " + MAX_MESSAGES + " shown" : "") + ".</p>\n");
        out.append("<table id=\"messages\"><tr><th>Id</th><th>Arrived</th><th>Sender</th><th>To deliver</th>"
                + "<th>State</th><th>Attempts</th><th>Next attempt</th><th>Last error</th><th></th></tr>\n");
        for (QueuedMessage m : matched.subList(0, Math.min(matched.size(), MAX_MESSAGES))) {
            String id = m.id().value();
            String base = Dashboard.PAGES + "/queue/" + id;
            out.append("<tr id=\"m-").append(Html.esc(id)).append("\"><td><code>").append(Html.esc(id))
                    .append("</code></td><td>").append(time(m.arrival())).append("</td><td>")
                    .append(Html.esc(m.envelope().reversePath())).append("</td><td>")
                    .append(Html.esc(String.join(", ", m.pending().stream()
                            .map(p -> p.recipient().address().toString()).toList())))
                    .append("</td><td class=\"state\">").append(QueueFilter.State.of(m).label()).append("</td><td class=\"n\">")
                    .append(m.state().attempts()).append("</td><td>").append(time(m.state().nextAttempt()))
                    .append("</td><td>").append(Html.esc(m.state().lastError())).append("</td><td class=\"actions\">")
                    .append(m.held() ? Html.button(base + "/release", "Release", csrf)
                            : Html.button(base + "/hold", "Hold", csrf))
                    .append(Html.button(base + "/delete", "Delete", csrf).replace("<form ", "<form data-confirm=\""
                            + "Delete this message for good?\" ")).append("</td></tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    String sites(Exchange x, String csrf) {
        List<SiteStatus.Site> sites = parts.sites().sites();
        StringBuilder out = new StringBuilder();
        if (sites.isEmpty()) {
            out.append("<p class=\"quiet\">No destination site was tried since the server started.</p>\n");
        } else {
            out.append("<table id=\"sites\"><tr><th>Site (MX hosts)</th><th>Window</th><th>In flight</th>"
                    + "<th>Backed off until</th><th>Last backoff</th><th>Last replies</th></tr>\n");
            for (SiteStatus.Site s : sites) {
                out.append("<tr><td>").append(Html.esc(s.name())).append("</td><td class=\"n\">").append(s.window())
                        .append("</td><td class=\"n\">").append(s.inFlight()).append("</td><td>")
                        .append(s.backedOffUntil() == null ? "—" : time(s.backedOffUntil())).append("</td><td>")
                        .append(s.lastBackoff() == 0 ? "—" : s.lastBackoff() + " s").append("</td><td><ul>");
                s.replies().forEach(r -> out.append("<li>").append(time(r.time())).append(' ')
                        .append(Html.esc(r.relay())).append(": ").append(Html.esc(r.text())).append("</li>"));
                out.append("</ul></td></tr>\n");
            }
            out.append("</table>\n");
        }
        return Html.page("Sites", Dashboard.PAGES + "/sites", csrf, out.toString());
    }

    String events(Exchange x, String csrf) throws IOException {
        String id = x.query("message_id").orElse("").strip();
        String recipient = x.query("recipient").orElse("").strip().toLowerCase(Locale.ROOT);
        String tenant = x.query("tenant").orElse("").strip();
        List<EventFeed.Entry> recent = recentEvents();
        List<EventFeed.Entry> found = new ArrayList<>();
        for (int i = recent.size() - 1; i >= 0 && found.size() < MAX_EVENTS; i--) {
            MailEvent e = recent.get(i).event();
            if (matches(e, id, recipient, tenant)) {
                found.add(recent.get(i));
            }
        }
        String form = "<form method=\"get\" action=\"/dashboard/events\" class=\"filters\">"
                + "<label>Message id <input name=\"message_id\" value=\"" + Html.esc(id) + "\"></label>"
                + "<label>Recipient <input name=\"recipient\" value=\"" + Html.esc(recipient) + "\"></label>"
                + "<label>Tenant <input name=\"tenant\" value=\"" + Html.esc(tenant) + "\"></label>"
                + "<button type=\"submit\">Search</button></form>\n<p>The newest " + MAX_EVENTS
                + " matching events of the last " + EVENTS_SEARCHED + " in the feed, newest first.</p>\n";
        return Html.page("Events", Dashboard.PAGES + "/events", csrf, form + eventTable(found));
    }

    // the feed may answer a read with fewer events than asked for: read on to its end
    private List<EventFeed.Entry> recentEvents() throws IOException {
        EventFeed feed = parts.feed();
        long last = feed.last();
        long cursor = Math.max(0, last - EVENTS_SEARCHED);
        List<EventFeed.Entry> out = new ArrayList<>();
        while (cursor < last && out.size() < EVENTS_SEARCHED) {
            List<EventFeed.Entry> batch = feed.read(cursor, EVENTS_SEARCHED - out.size());
            if (batch.isEmpty()) {
                break;
            }
            out.addAll(batch);
            cursor = batch.getLast().cursor();
        }
        return out;
    }

    private static boolean matches(MailEvent e, String id, String recipient, String tenant) {
        if (!id.isEmpty() && !(e instanceof MailEvent.OfMessage m && m.id().value().equals(id))) {
            return false;
        }
        String to = recipient(e);
        if (!recipient.isEmpty() && (to == null || !to.toLowerCase(Locale.ROOT).contains(recipient))) {
            return false;
        }
        return tenant.isEmpty() || e instanceof MailEvent.InContext c && tenant.equals(c.context().tenant());
    }

    private static String recipient(MailEvent e) {
        return EventJson.recipient(e);
    }

    private static String eventTable(List<EventFeed.Entry> found) {
        StringBuilder out = new StringBuilder("<table id=\"events\"><tr><th>#</th><th>Time</th><th>Type</th>"
                + "<th>Message</th><th>Recipient</th><th>Tenant</th><th>Status</th><th>Reply</th></tr>\n");
        for (EventFeed.Entry entry : found) {
            MailEvent e = entry.event();
            MailEvent.OfMessage m = e instanceof MailEvent.OfMessage o ? o : null;
            out.append("<tr><td class=\"n\">").append(entry.cursor()).append("</td><td>").append(time(e.time()))
                    .append("</td><td class=\"type\">").append(e.getClass().getSimpleName().toLowerCase(Locale.ROOT))
                    .append("</td><td><code>").append(m == null ? "" : Html.esc(m.id().value())).append("</code></td><td>")
                    .append(Html.esc(recipient(e))).append("</td><td>").append(Html.esc(EventJson.context(e).tenant()))
                    .append("</td><td>").append(e instanceof MailEvent.Outcome o ? Html.esc(o.dsn()) : "")
                    .append("</td><td>").append(e instanceof MailEvent.Outcome o ? Html.esc(o.reply())
                            : e instanceof MailEvent.Rejected r ? Html.esc(r.reply())
                            : e instanceof MailEvent.Suppressed s ? Html.esc(s.reply()) : "").append("</td></tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    String webhooks(Exchange x, String csrf) {
        List<WebhookStatus.Endpoint> endpoints = parts.webhooks().endpoints();
        StringBuilder out = new StringBuilder();
        if (endpoints.isEmpty()) {
            out.append("<p class=\"quiet\" id=\"no-webhooks\">No webhook endpoints. <code>petrel webhook add TENANT URL"
                    + "</code> adds one.</p>\n");
        } else {
            out.append("<table id=\"webhooks\"><tr><th>Id</th><th>Tenant</th><th>URL</th><th>Events</th><th>State</th>"
                    + "<th>Failures in a row</th><th>Retries pending</th><th>Last error</th></tr>\n");
            for (WebhookStatus.Endpoint e : endpoints) {
                out.append("<tr><td><code>").append(Html.esc(e.id())).append("</code></td><td>").append(Html.esc(e.tenant()))
                        .append("</td><td>").append(Html.esc(e.url())).append("</td><td>")
                        .append(e.events().isEmpty() ? "all" : Html.esc(String.join(", ", e.events()))).append("</td><td>")
                        .append(e.disabledReason() == null ? "enabled" : "disabled: " + Html.esc(e.disabledReason()))
                        .append("</td><td class=\"n\">").append(e.failures()).append("</td><td class=\"n\">")
                        .append(e.pending()).append("</td><td>").append(Html.esc(e.lastError()))
                        .append(e.lastFailure() == null ? "" : " (" + time(e.lastFailure()) + ")").append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        return Html.page("Webhooks", Dashboard.PAGES + "/webhooks", csrf, out.toString());
    }

    private static String time(Instant t) {
        return t == null ? "" : "<time datetime=\"" + t + "\">" + t.truncatedTo(ChronoUnit.SECONDS).toString()
                .replace('T', ' ').replace("Z", "") + "</time>";
    }
}
