package dev.petrel.compliance;

import dev.petrel.event.EventFeed;
import dev.petrel.event.FeedReader;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Tenants;
import java.util.List;
import java.util.Optional;

/**
 * Writes an unsubscribe as a withdrawal of consent (CASL 11(3): it must take effect within ten business days; here
 * it does at once), reading the event feed by its own cursor ({@value #CURSOR}). Each {@code message.unsubscribed}
 * of a tenant's message becomes one withdrawal record referring to the event, so reading it twice writes nothing
 * more.
 */
public final class ConsentWriter implements FeedReader.Batches {

    /** The writer's cursor in the feed. */
    public static final String CURSOR = "consents";

    private final ConsentLedger ledger;
    private final Tenants tenants;

    public ConsentWriter(ConsentLedger ledger, Tenants tenants) {
        this.ledger = ledger;
        this.tenants = tenants;
    }

    @Override
    public void handle(List<EventFeed.Entry> batch) {
        for (EventFeed.Entry e : batch) {
            if (e.event() instanceof MailEvent.Unsubscribed u) {
                withdraw(e.cursor(), u);
            }
        }
    }

    private void withdraw(long cursor, MailEvent.Unsubscribed u) {
        Optional<TenantId> tenant = tenant(u.context().tenant());
        Optional<Address> to = SuppressionWriter.address(u.to());
        if (tenant.isEmpty() || to.isEmpty()) {
            return;
        }
        Consent.Evidence evidence = new Consent.Evidence("one-click unsubscribe", "", "", "",
                "unsubscribe link of message " + u.id() + " on stream " + u.context().stream());
        ledger.withdrawFrom(tenant.get(), to.get(), u.time(), evidence, "event:" + cursor);
    }

    // the tenant while it exists: one removed since has no ledger to write to
    private Optional<TenantId> tenant(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            TenantId id = TenantId.parse(name);
            return tenants.tenant(id).isPresent() ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
