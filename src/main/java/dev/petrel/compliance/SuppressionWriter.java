package dev.petrel.compliance;

import dev.petrel.event.EventFeed;
import dev.petrel.event.EventJson;
import dev.petrel.event.FeedReader;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Tenancy;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds to the suppression lists what the event feed says, read by its own cursor ({@value #CURSOR}): a hard bounce
 * and a complaint suppress the recipient on every stream of the tenant, an unsubscribe on the stream its message
 * went out on. Only mail of a tenant (an event whose context names one) is suppressed. Each entry is written at
 * once, before the cursor moves past its event, and writing one twice changes nothing, so a restart that reads
 * some events again is harmless. A delivery is never a reason to remove an entry.
 *
 * <p>A hard bounce is one whose enhanced status says the address or its domain does not exist (the bounce may come
 * from the remote server at once or later, in a receiver's DSN). A complaint is a {@code message.complained} event
 * (an ARF report); an unsubscribe is taken by its type, {@code message.unsubscribed}, so that it is suppressed from
 * the moment the part that reports it writes it to the feed.
 */
public final class SuppressionWriter implements FeedReader.Batches {

    /** The writer's cursor in the feed. */
    public static final String CURSOR = "suppressions";

    static final String UNSUBSCRIBED = "message.unsubscribed";

    // RFC 3463 3.2: X.1.1 bad destination mailbox, X.1.2 bad destination system; RFC 7505 3.2: X.1.10 null MX.
    // What a bounce's enhanced status says when no class is known for it
    private static final Set<String> HARD_STATUS = Set.of("5.1.1", "5.1.2", "5.1.10");
    private static final Pattern REPLY_STATUS = Pattern.compile("^5\\d\\d[ -](5\\.\\d{1,3}\\.\\d{1,3})\\b");

    private final Suppressions store;
    private final Tenancy tenancy;

    public SuppressionWriter(Suppressions store, Tenancy tenancy) {
        this.store = store;
        this.tenancy = tenancy;
    }

    @Override
    public void handle(List<EventFeed.Entry> batch) {
        for (EventFeed.Entry e : batch) {
            reason(e.event()).ifPresent(reason -> record(e, reason));
        }
    }

    /** Why the event suppresses its recipient, if it does. */
    static Optional<Suppression.Reason> reason(MailEvent event) {
        return switch (event) {
            case MailEvent.Bounced b -> hard(b) ? Optional.of(Suppression.Reason.HARD_BOUNCE) : Optional.empty();
            case MailEvent.Complained c -> Optional.of(Suppression.Reason.COMPLAINT);
            default -> EventJson.type(event).equals(UNSUBSCRIBED) ? Optional.of(Suppression.Reason.UNSUBSCRIBE)
                    : Optional.empty();
        };
    }

    // the enhanced status of the bounce, or the one its reply starts with (a server that did not advertise
    // ENHANCEDSTATUSCODES, RFC 2034, may still give one: "550 5.1.1 ...")
    static boolean hard(MailEvent.Bounced bounced) {
        // the class a bounce got (issue 17's classifier: rules on status and text); journals written before there
        // were classes read as undetermined, so the status is looked at too
        if (bounced.bounceClass() == BounceClass.HARD
                || bounced.dsn() != null && HARD_STATUS.contains(bounced.dsn())) {
            return true;
        }
        Matcher m = REPLY_STATUS.matcher(bounced.reply() == null ? "" : bounced.reply());
        return m.find() && HARD_STATUS.contains(m.group(1));
    }

    private void record(EventFeed.Entry entry, Suppression.Reason reason) {
        MailEvent event = entry.event();
        SendContext context = EventJson.context(event);
        Optional<TenantId> tenant = tenant(context);
        Optional<Address> to = address(EventJson.recipient(event));
        if (tenant.isEmpty() || to.isEmpty()) {
            return;
        }
        // an unsubscribe holds for the stream the message went out on; the others for every stream of the tenant
        String stream = reason == Suppression.Reason.UNSUBSCRIBE ? context.stream() : null;
        store.add(new Suppression(tenant.get(), stream, Suppression.key(to.get()), reason,
                event.time().truncatedTo(ChronoUnit.MILLIS), Long.toString(entry.cursor())));
    }

    // the tenant the event's message was sent for, while it exists (one removed since has no list to add to)
    private Optional<TenantId> tenant(SendContext context) {
        if (context.tenant() == null) {
            return Optional.empty();
        }
        try {
            TenantId id = TenantId.parse(context.tenant());
            return tenancy.tenant(id).isPresent() ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The event's recipient as an address; empty when it names none or not one. */
    static Optional<Address> address(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.of(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
