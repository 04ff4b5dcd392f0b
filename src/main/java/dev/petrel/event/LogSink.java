package dev.petrel.event;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeFormatter;

/**
 * Writes one key=value line per event, as Postfix's mail log does:
 * {@code 2026-11-28T10:00:00Z queued id=... from=<a@b> size=123 nrcpt=1}.
 */
public final class LogSink implements EventSink {

    private final PrintStream out;

    public LogSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void publish(MailEvent event) {
        String line = DateTimeFormatter.ISO_INSTANT.format(event.time()) + " " + format(event);
        synchronized (out) {
            out.println(line);
        }
    }

    static String format(MailEvent event) {
        return switch (event) {
            case MailEvent.Queued q -> "queued id=" + q.id() + " from=<" + q.from() + "> size=" + q.size()
                    + " nrcpt=" + q.recipients() + " client=" + q.client()
                    + (q.user() == null ? "" : " sasl_username=" + quote(q.user()))
                    + authentication(q.authentication()) + (q.held() ? " held" : "");
            case MailEvent.Delivered d -> outcome("delivered", d);
            case MailEvent.Deferred d -> outcome("deferred", d);
            case MailEvent.Bounced b -> outcome("bounced", b);
            case MailEvent.Expired e -> outcome("expired", e.id().toString(), e.to(), "none", e.delay(), e.dsn(), null,
                    "message lifetime exceeded");
            case MailEvent.Rejected r -> "rejected client=" + r.client() + " stage=" + r.stage()
                    + (r.from() == null ? "" : " from=<" + r.from() + ">")
                    + (r.to() == null ? "" : " to=<" + r.to() + ">")
                    + (r.context().tenant() == null ? "" : " tenant=" + r.context().tenant())
                    + (r.context().stream() == null ? "" : " stream=" + r.context().stream())
                    + (r.reason() == null ? "" : " reason=" + r.reason()) + " reply=" + quote(r.reply());
            case MailEvent.Suppressed s -> "suppressed to=<" + s.to() + "> tenant=" + s.context().tenant()
                    + (s.context().stream() == null ? "" : " stream=" + s.context().stream()) + " reason=" + s.reason()
                    + " reply=" + quote(s.reply());
            case MailEvent.Removed r -> "removed id=" + r.id() + " by=operator";
            case MailEvent.Held h -> "held id=" + h.id() + " by=operator";
            case MailEvent.Released r -> "released id=" + r.id() + " by=operator";
            case MailEvent.Flushed f -> "flush messages=" + f.messages() + " by=operator";
            case MailEvent.Unsubscribed u -> "unsubscribed id=" + u.id() + " to=<" + u.to() + "> tenant="
                    + u.context().tenant() + " stream=" + u.context().stream();
            case MailEvent.Complained c -> "complained id=" + c.id() + " to=<" + c.to() + "> feedback_type="
                    + quote(c.feedbackType()) + " reporter=" + quote(c.reporter());
            case MailEvent.StreamPaused p -> "stream-paused tenant=" + p.context().tenant() + " stream="
                    + p.context().stream() + " reason=" + p.reason() + " text=" + quote(p.text()) + " by=reputation";
        };
    }

    private static String authentication(java.util.Map<String, String> results) {
        StringBuilder out = new StringBuilder();
        results.forEach((method, result) -> out.append(' ').append(method).append('=').append(result));
        return out.toString();
    }

    // a deferred or bounced recipient's line says the bounce class after the status: dsn=5.1.1 class=hard
    private static String outcome(String what, MailEvent.Outcome o) {
        String bounceClass = o instanceof MailEvent.Failure f ? f.bounceClass().label() : null;
        return outcome(what, o.id().toString(), o.to(), o.relay(), o.delay(), o.dsn(), bounceClass, o.reply());
    }

    private static String outcome(String what, String id, String to, String relay, Duration delay, String dsn,
                                  String bounceClass, String reply) {
        return what + " id=" + id + " to=<" + to + "> relay=" + relay + " delay=" + seconds(delay)
                + " dsn=" + dsn + (bounceClass == null ? "" : " class=" + bounceClass) + " reply=" + quote(reply);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
    }

    /** Quotes a value with spaces and escapes what would break the line. */
    static String quote(String value) {
        String clean = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
        return clean.isEmpty() || clean.contains(" ") || clean.contains("=") ? "\"" + clean + "\"" : clean;
    }
}
