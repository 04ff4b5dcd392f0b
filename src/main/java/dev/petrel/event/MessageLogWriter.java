package dev.petrel.event;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the {@link MessageLog} from the event feed, read by its own cursor ({@value #CURSOR}): each batch read is one
 * write of the log, committed lazily and put on disk before the cursor is saved past it (about once a second), so
 * SMTP sessions and the send API pay nothing for it and a crash loses none of it. Every {@value #FORGET_MINUTES}
 * minutes it forgets the messages queued longer ago than the retention.
 */
public final class MessageLogWriter implements FeedReader.Batches {

    /** The writer's cursor in the feed. */
    public static final String CURSOR = "messages";

    static final long FORGET_MINUTES = 10;

    private final MessageLog log;
    private final Clock clock;
    private final Duration retention;
    private Instant lastForget = Instant.MIN;
    private boolean written;

    /** @param retention how long a message is kept after it was queued ({@code [http] message_retention}) */
    public MessageLogWriter(MessageLog log, Clock clock, Duration retention) {
        this.log = log;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public void handle(List<EventFeed.Entry> batch) {
        List<MailEvent> kept = new ArrayList<>();
        for (EventFeed.Entry e : batch) {
            if (concerns(e.event())) {
                kept.add(e.event());
            }
        }
        if (!kept.isEmpty()) {
            log.record(kept);
            written = true;
        }
        forgetOld();
    }

    // a message queued for a tenant, and what becomes of queued messages (their tenant is in the log)
    private static boolean concerns(MailEvent event) {
        return switch (event) {
            case MailEvent.Queued q -> q.context().tenant() != null;
            case MailEvent.Outcome o -> true;
            case MailEvent.Expired x -> true;
            case MailEvent.Removed r -> true;
            default -> false;
        };
    }

    private void forgetOld() {
        Instant now = clock.instant();
        if (lastForget.isBefore(now.minus(Duration.ofMinutes(FORGET_MINUTES)))) {
            lastForget = now;
            log.forget(now.minus(retention));
        }
    }

    @Override
    public void durable(long cursor) throws IOException {
        if (written) {
            log.durable(cursor);
            written = false;
        }
    }
}
