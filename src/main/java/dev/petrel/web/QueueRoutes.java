package dev.petrel.web;

import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.queue.NodeStatus;
import dev.petrel.queue.QueueActions;
import dev.petrel.queue.QueueFilter;
import dev.petrel.queue.QueueShape;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /admin/v1/queue}: list (paged, filtered by state, domain, sender and age), the qshape summary, one
 * message, and hold, release, delete and flush, by id or by filter; {@code /admin/v1/nodes}: the nodes that share
 * the queue on PostgreSQL. Every change goes through
 * {@link QueueActions}, as the command line's do.
 */
final class QueueRoutes {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;
    private static final Pattern AGE = Pattern.compile("([0-9]{1,9})(s|m|h|d)");

    private final QueueActions actions;
    private final Clock clock;
    private final Audit audit;

    QueueRoutes(QueueActions actions, Clock clock, Audit audit) {
        this.actions = actions;
        this.clock = clock;
        this.audit = audit;
    }

    /** The JSON of a message in the queue. */
    record MessageView(String id, String arrival, String sender, long size, String state, boolean held, int attempts,
                       String nextAttempt, String lastError, List<RecipientView> recipients) {}

    record RecipientView(String address, boolean done) {}

    /** The JSON of a node that shares the queue on PostgreSQL. */
    record NodeView(String name, int number, String started, String heartbeat, long heartbeatAgeMs, String state,
                    long messages) {

        static NodeView of(NodeStatus n) {
            return new NodeView(n.name(), n.number(), n.started().toString(), n.heartbeat().toString(),
                    n.age().toMillis(), n.state(), n.owned());
        }
    }

    record Page(List<MessageView> messages, String next, int matched) {}

    /** A filter in a request body; an empty one must say {@code "all": true}. */
    record FilterBody(String state, String domain, String sender, String olderThan, String youngerThan, Boolean all) {}

    void addTo(Router router) {
        router.get("/admin/v1/queue", Route.Access.ADMIN, this::list);
        router.get("/admin/v1/queue/summary", Route.Access.ADMIN,
                x -> Answer.ok(QueueShape.of(actions.list(QueueFilter.ALL), clock.instant())));
        router.get("/admin/v1/queue/{id}", Route.Access.ADMIN, this::show);
        router.get("/admin/v1/queue/{id}/content", Route.Access.ADMIN, this::content);
        router.post("/admin/v1/queue/{id}/hold", Route.Access.ADMIN, x -> one(x, "hold", actions::hold));
        router.post("/admin/v1/queue/{id}/release", Route.Access.ADMIN, x -> one(x, "release", actions::release));
        router.delete("/admin/v1/queue/{id}", Route.Access.ADMIN, x -> one(x, "delete", actions::delete));
        router.post("/admin/v1/queue/hold", Route.Access.ADMIN, x -> many(x, QueueActions.Action.HOLD));
        router.post("/admin/v1/queue/release", Route.Access.ADMIN, x -> many(x, QueueActions.Action.RELEASE));
        router.post("/admin/v1/queue/delete", Route.Access.ADMIN, x -> many(x, QueueActions.Action.DELETE));
        router.get("/admin/v1/nodes", Route.Access.ADMIN, x -> Answer.ok(Map.of("nodes",
                actions.nodes().stream().map(NodeView::of).toList())));
        router.post("/admin/v1/queue/flush", Route.Access.ADMIN, x -> {
            audit.record(x, "queue flush");
            return Answer.ok(Map.of("due", actions.flush()));
        });
    }

    private Answer list(Exchange x) throws IOException {
        QueueFilter filter = new QueueFilter(x.query("state", QueueFilter.State::parse).orElse(null),
                x.query("domain", Domain::parse).orElse(null), x.query("sender").orElse(null),
                x.query("older_than", QueueRoutes::age).orElse(null),
                x.query("younger_than", QueueRoutes::age).orElse(null));
        int limit = x.query("limit", QueueRoutes::limit).orElse(DEFAULT_PAGE);
        String after = x.query("after").orElse("");
        List<QueuedMessage> matched = actions.list(filter);
        List<MessageView> page = new ArrayList<>();
        String next = null;
        for (QueuedMessage m : matched) {
            if (m.id().value().compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                next = page.getLast().id();
                break;
            }
            page.add(view(m));
        }
        return Answer.ok(new Page(page, next, matched.size()));
    }

    private Answer show(Exchange x) throws IOException {
        QueueId id = x.path("id", QueueId::new);
        StoredMessage stored = actions.read(id).orElseThrow(() -> missing(id));
        Map<String, Object> out = new LinkedHashMap<>(Map.of("message", view(stored.message())));
        out.put("headers", headers(stored.content()));
        return Answer.ok(out);
    }

    private Answer content(Exchange x) throws IOException {
        QueueId id = x.path("id", QueueId::new);
        StoredMessage stored = actions.read(id).orElseThrow(() -> missing(id));
        return new Answer(200, "message/rfc822", stored.content(), Map.of());
    }

    @FunctionalInterface
    private interface OneAction {
        boolean apply(QueueId id) throws IOException;
    }

    private Answer one(Exchange x, String verb, OneAction action) throws IOException {
        QueueId id = x.path("id", QueueId::new);
        if (!action.apply(id)) {
            throw missing(id);
        }
        audit.record(x, "queue " + verb + " id=" + id);
        return Answer.ok(Map.of("id", id.value(), "done", verb));
    }

    private Answer many(Exchange x, QueueActions.Action action) throws IOException {
        FilterBody body = x.read(FilterBody.class);
        QueueFilter filter;
        try {
            filter = new QueueFilter(body.state() == null ? null : QueueFilter.State.parse(body.state()),
                    body.domain() == null ? null : Domain.parse(body.domain()), body.sender(),
                    body.olderThan() == null ? null : age(body.olderThan()),
                    body.youngerThan() == null ? null : age(body.youngerThan()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (filter.isEmpty() && !Boolean.TRUE.equals(body.all())) {
            throw ApiError.badRequest("an empty filter matches every message: say \"all\": true to mean that");
        }
        List<String> changed = actions.apply(action, filter).stream().map(QueueId::value).toList();
        audit.record(x, "queue " + action.name().toLowerCase(Locale.ROOT) + " by filter: " + changed.size()
                + " message(s)");
        return Answer.ok(Map.of("changed", changed));
    }

    static MessageView view(QueuedMessage m) {
        List<RecipientView> recipients = new ArrayList<>();
        List<Recipient> all = m.envelope().recipients();
        for (int i = 0; i < all.size(); i++) {
            recipients.add(new RecipientView(all.get(i).address().toString(), m.state().finished().contains(i)));
        }
        return new MessageView(m.id().value(), m.arrival().toString(), m.envelope().reversePath().toString(), m.size(),
                QueueFilter.State.of(m).label(), m.held(), m.state().attempts(),
                m.state().nextAttempt().toString(), m.state().lastError(), recipients);
    }

    // the header section as text, for a look at a message without downloading it
    private static String headers(byte[] content) {
        String text = new String(content, 0, Math.min(content.length, 64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end + 2);
    }

    private static ApiError missing(QueueId id) {
        return ApiError.notFound("no message " + id.value() + " in the queue");
    }

    static Duration age(String text) {
        Matcher m = AGE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected an age like 30s, 10m, 2h or 3d, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static int limit(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got \"" + text + "\"");
        }
        if (n < 1 || n > MAX_PAGE) {
            throw new IllegalArgumentException("expected 1 to " + MAX_PAGE + ", got " + n);
        }
        return n;
    }
}
