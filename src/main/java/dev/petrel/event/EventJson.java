package dev.petrel.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.SendContext;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event as JSON, in the shape DESIGN.md gives webhooks and {@code /v1/events}: {@code id} (its cursor in the
 * feed), {@code type}, {@code timestamp}, {@code tenant}, {@code stream}, {@code message_id}, {@code recipient},
 * {@code class}, {@code status}, {@code reply}, {@code tag}, {@code metadata}; fields an event has no value for
 * are null. {@code class} is the bounce class of a deferred or bounced recipient ({@code hard}, {@code soft},
 * {@code block}, {@code throttle}, {@code auth}, {@code content}, {@code undetermined}).
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    // RFC 3463 3.8: X.7.1, delivery not authorized, message refused
    private static final String NOT_AUTHORIZED = "5.7.1";

    private EventJson() {}

    /** One line of JSON for the event at this cursor. */
    public static String render(long cursor, MailEvent event) {
        return write(fields(cursor, event));
    }

    /**
     * One line of JSON for an entry of the feed, as {@code petrel events} and {@code GET /v1/events} show it: the
     * event's fields, then {@code node}, the name of the node that wrote it (null on the embedded store and for
     * the command line's events).
     */
    public static String render(EventFeed.Entry entry) {
        Map<String, Object> out = fields(entry.cursor(), entry.event());
        out.put("node", entry.node());
        return write(out);
    }

    private static Map<String, Object> fields(long cursor, MailEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(cursor));
        out.put("type", type(event));
        out.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        SendContext context = context(event);
        out.put("tenant", context.tenant());
        out.put("stream", context.stream());
        out.put("message_id", event instanceof MailEvent.OfMessage m ? m.id().value() : null);
        out.put("recipient", recipient(event));
        out.put("class", event instanceof MailEvent.Failure f ? f.bounceClass().label() : null);
        out.put("status", status(event));
        out.put("reply", reply(event));
        out.put("tag", context.tag());
        out.put("metadata", context.metadata());
        return out;
    }

    private static String write(Map<String, Object> out) {
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** The event's {@code type}, as in its JSON. */
    public static String type(MailEvent event) {
        return switch (event) {
            case MailEvent.Queued q -> "message.queued";
            case MailEvent.Delivered d -> "message.delivered";
            case MailEvent.Deferred d -> "message.deferred";
            case MailEvent.Bounced b -> "message.bounced";
            case MailEvent.Expired x -> "message.expired";
            case MailEvent.Held h -> "message.held";
            case MailEvent.Released r -> "message.released";
            case MailEvent.Removed r -> "message.removed";
            case MailEvent.Rejected r -> "message.rejected";
            case MailEvent.Suppressed s -> "message.suppressed";
            case MailEvent.Flushed f -> "queue.flushed";
            case MailEvent.Unsubscribed u -> "message.unsubscribed";
            case MailEvent.Complained c -> "message.complained";
            case MailEvent.StreamPaused p -> "stream.paused";
        };
    }

    /** The sender's context of the event ({@link SendContext#EMPTY} for one that has none). */
    public static SendContext context(MailEvent event) {
        return event instanceof MailEvent.InContext c ? c.context() : SendContext.EMPTY;
    }

    /** The event's {@code recipient}, as in its JSON; null for an event of no one recipient. */
    public static String recipient(MailEvent event) {
        return switch (event) {
            case MailEvent.Outcome o -> o.to();
            case MailEvent.Expired x -> x.to();
            case MailEvent.Rejected r -> r.to();
            case MailEvent.Unsubscribed u -> u.to();
            case MailEvent.Complained c -> c.to();
            case MailEvent.Suppressed s -> s.to();
            default -> null;
        };
    }

    private static String status(MailEvent event) {
        return switch (event) {
            case MailEvent.Outcome o -> o.dsn();
            case MailEvent.Expired x -> x.dsn();
            case MailEvent.Suppressed s -> NOT_AUTHORIZED;
            // the send policy's refusals (no consent) are all 550 5.7.1
            case MailEvent.Rejected r when r.reason() != null -> NOT_AUTHORIZED;
            default -> null;
        };
    }

    private static String reply(MailEvent event) {
        return switch (event) {
            case MailEvent.Outcome o -> o.reply();
            case MailEvent.Rejected r -> r.reply();
            case MailEvent.Complained c -> "feedback-type=" + c.feedbackType();
            case MailEvent.Suppressed s -> s.reply();
            case MailEvent.StreamPaused p -> p.reason() + ": " + p.text();
            default -> null;
        };
    }
}
