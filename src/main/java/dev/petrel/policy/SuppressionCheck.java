package dev.petrel.policy;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.event.EventSink;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Tenancy;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The send policy's suppression step: a recipient on the sender's tenant's suppression list is refused before
 * its message enters the queue, with {@code 550 5.7.1} and the reason (RFC 3463 3.8: X.7.1, delivery not
 * authorized, message refused), and a {@code message.suppressed} event. The sender's tenant is its API key's, or
 * for a user of the account store the tenant the user belongs to; a key's mail goes out on the key's stream or
 * the one the message chooses, a user's on none, so only entries of every stream hold for a user's mail.
 * Clients that did not authenticate (mail from elsewhere, relay networks) are not checked: they send for no tenant.
 */
public final class SuppressionCheck {

    /** The text of the refusal at RCPT; the reason follows ({@code hard bounce on 2026-12-01}). */
    static final String REFUSED = "Recipient suppressed: ";

    private final SuppressionList list;
    private final Tenancy tenancy;
    private final EventSink events;
    private final Clock clock;

    /** @param events where {@code message.suppressed} is written (the event feed) */
    public SuppressionCheck(SuppressionList list, Tenancy tenancy, EventSink events, Clock clock) {
        this.list = list;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
    }

    /** Who sends and where, as far as RCPT knows: the tenant, and the stream when the key names one. */
    private record Sender(TenantId tenant, Optional<String> stream) {}

    /** RCPT TO of an authenticated client: refused when its tenant (on the key's stream) suppresses the recipient. */
    public Decision rcpt(Client client, Address to) {
        Optional<Sender> sender = sender(client);
        if (sender.isEmpty()) {
            return Decision.ACCEPT;
        }
        Suppression held = list.suppressed(sender.get().tenant(), sender.get().stream(), List.of(to)).get(to);
        if (held == null) {
            return Decision.ACCEPT;
        }
        SendContext context = new SendContext(sender.get().tenant().name(), sender.get().stream().orElse(null), null,
                Map.of());
        return new Decision.Reject(refused(to, held, context, REFUSED + held.describe()));
    }

    /**
     * The end of DATA, for a message sent with a key that may choose its stream and chose one by
     * {@code X-Petrel-Stream}: RCPT knew only the tenant, and a recipient suppressed on that stream alone is found
     * now. SMTP cannot refuse one recipient after DATA, so the message is refused, naming the first such recipient.
     */
    public Decision chosenStream(Client client, SendContext context, List<Address> recipients) {
        Optional<ApiKey> key = key(client);
        if (key.isEmpty() || key.get().scoped() || context.stream() == null) {
            return Decision.ACCEPT;
        }
        Reply first = null;
        for (Map.Entry<Address, Suppression> e : held(context, recipients).entrySet()) {
            Reply reply = refused(e.getKey(), e.getValue(), context, "Message refused: recipient " + e.getKey()
                    + " is suppressed: " + e.getValue().describe());
            first = first == null ? reply : first;
        }
        return first == null ? Decision.ACCEPT : new Decision.Reject(first);
    }

    /**
     * The send API's question: which of the message's recipients its tenant suppresses on its stream, each with
     * what the client is told ({@code Recipient suppressed: hard bounce on 2026-12-01}, as at RCPT); a
     * {@code message.suppressed} event is written for each, with the message's context.
     */
    public Map<Address, String> admit(SendContext context, List<Address> recipients) {
        Map<Address, String> out = new LinkedHashMap<>();
        held(context, recipients).forEach((to, s) -> {
            String text = REFUSED + s.describe();
            refused(to, s, context, text);
            out.put(to, text);
        });
        return out;
    }

    private Map<Address, Suppression> held(SendContext context, List<Address> recipients) {
        if (context.tenant() == null) {
            return Map.of();
        }
        return list.suppressed(TenantId.parse(context.tenant()), Optional.ofNullable(context.stream()), recipients);
    }

    // the refusal's reply, told to the feed as message.suppressed
    private Reply refused(Address to, Suppression held, SendContext context, String text) {
        Reply reply = Reply.of(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, text);
        events.publish(new MailEvent.Suppressed(clock.instant(), to.toString(), held.reason().code(), reply.summary(),
                context));
        return reply;
    }

    private Optional<Sender> sender(Client client) {
        if (!client.authenticated()) {
            return Optional.empty();
        }
        if (KeySending.isKey(client.user())) {
            return key(client).map(k -> new Sender(k.tenant(), Optional.ofNullable(k.stream())));
        }
        try {
            return tenancy.tenantOf(Address.of(client.user())).map(t -> new Sender(t, Optional.empty()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<ApiKey> key(Client client) {
        return client.authenticated() ? ApiKey.idOf(client.user()).flatMap(tenancy::key) : Optional.empty();
    }
}
