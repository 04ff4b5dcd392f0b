package dev.petrel.web;

import dev.petrel.event.MessageLog;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.QueuedMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/messages/{id}}: a message of the caller's tenant as the {@link MessageLog} keeps it, with each
 * recipient's last outcome; while the message is still queued, its recipients without an outcome yet are
 * {@code queued}. Another tenant's message is 404, as a missing one is. The log is written from the event feed a
 * moment after the message is queued, so a message not found yet is looked for again once the log has caught up.
 */
final class MessageStatus {

    /** Where a message still queued is found, without its content. */
    @FunctionalInterface
    interface Queued {
        Optional<QueuedMessage> find(QueueId id) throws IOException;
    }

    static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final MessageLog log;
    private final Queued queue;
    private final HttpSurface.CatchUp catchUp;

    MessageStatus(MessageLog log, Queued queue, HttpSurface.CatchUp catchUp) {
        this.log = log;
        this.queue = queue;
        this.catchUp = catchUp;
    }

    void addTo(Router router) {
        router.get("/v1/messages/{id}", Route.Access.TENANT, this::show);
    }

    private Answer show(Exchange x) throws IOException {
        QueueId id = x.path("id", QueueId::new);
        Optional<MessageLog.Message> found = log.message(x.who().tenant(), id);
        if (found.isEmpty() && caughtUp()) {
            found = log.message(x.who().tenant(), id);
        }
        MessageLog.Message m = found.orElseThrow(() -> ApiError.notFound("no message " + id.value()));
        Optional<QueuedMessage> queued = queue.find(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", id.value());
        out.put("from", m.sender());
        out.put("stream", m.stream());
        out.put("tag", m.tag());
        out.put("metadata", m.metadata());
        out.put("queued_at", m.queuedAt().toString());
        out.put("state", queued.isPresent() ? "queued" : m.removed() ? "removed" : "done");
        out.put("recipients", recipients(m, queued));
        return Answer.ok(out);
    }

    private boolean caughtUp() throws IOException {
        try {
            return catchUp.await(CATCH_UP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the message log caught up");
        }
    }

    // the outcomes the log has, then the queued recipients that have none yet
    private static List<Map<String, Object>> recipients(MessageLog.Message m, Optional<QueuedMessage> queued) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        queued.ifPresent(q -> {
            for (QueuedMessage.Pending p : q.pending()) {
                String to = p.recipient().address().toString();
                out.put(to, recipient(to, "queued", null, null, null));
            }
        });
        for (MessageLog.RecipientState s : m.states()) {
            out.put(s.address(), recipient(s.address(), s.state(), s.status(), s.reply(), s.updated().toString()));
        }
        return new ArrayList<>(out.values());
    }

    private static Map<String, Object> recipient(String address, String state, String status, String reply,
                                                 String updated) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("address", address);
        r.put("state", state);
        r.put("status", status);
        r.put("reply", reply);
        r.put("updated_at", updated);
        return r;
    }
}
