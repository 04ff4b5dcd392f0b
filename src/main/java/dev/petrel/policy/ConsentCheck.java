package dev.petrel.policy;

import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.ConsentStatus;
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
 * The send policy's consent step (CASL section 6): a recipient of mail on a tenant's broadcast stream without
 * consent valid at that moment is refused before the message enters the queue, with {@code 550 5.7.1} (RFC 3463
 * 3.8: delivery not authorized) naming the reason ({@code no_consent}, {@code consent_expired},
 * {@code consent_withdrawn}), and a {@code message.rejected} event with the reason and the tenant's context.
 * Transactional streams, and mail on no stream, are exempt. Only mail sent with an API key has a stream: at RCPT the
 * key's own (role relevance unknown yet, so a published address counts), at the end of DATA the message's (chosen by
 * {@code X-Petrel-Stream}) with its metadata.
 */
public final class ConsentCheck {

    /** The text of the refusal; the reason and its description follow. */
    static final String REFUSED = "Recipient refused: ";
    private static final String STAGE = "consent";

    private final ConsentLedger ledger;
    private final Tenancy tenancy;
    private final EventSink events;
    private final Clock clock;

    /** @param events where {@code message.rejected} is written (the event feed) */
    public ConsentCheck(ConsentLedger ledger, Tenancy tenancy, EventSink events, Clock clock) {
        this.ledger = ledger;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
    }

    /** RCPT TO of a client that authenticated with a key made for a broadcast stream. */
    public Decision rcpt(Client client, Address to) {
        Optional<ApiKey> key = key(client).filter(ApiKey::scoped);
        if (key.isEmpty()) {
            return Decision.ACCEPT;
        }
        SendContext context = new SendContext(key.get().tenant().name(), key.get().stream(), null, Map.of());
        if (!ledger.applies(context)) {
            return Decision.ACCEPT;
        }
        if (ledger.status(key.get().tenant(), to, true) instanceof ConsentStatus.Refused r) {
            return new Decision.Reject(refused(client.address().getHostAddress(), to, r, context,
                    REFUSED + text(r)));
        }
        return Decision.ACCEPT;
    }

    /**
     * The end of DATA of mail sent with a key, once its stream and metadata are known: each recipient against the
     * message's stream. SMTP cannot refuse one recipient after DATA, so the message is refused, naming the first.
     */
    public Decision data(Client client, SendContext context, List<Address> recipients) {
        if (key(client).isEmpty() || !ledger.applies(context)) {
            return Decision.ACCEPT;
        }
        Reply first = null;
        for (Map.Entry<Address, ConsentStatus.Refused> e : refusals(context, recipients).entrySet()) {
            Reply reply = refused(client.address().getHostAddress(), e.getKey(), e.getValue(), context,
                    "Message refused: recipient " + e.getKey() + " " + text(e.getValue()));
            first = first == null ? reply : first;
        }
        return first == null ? Decision.ACCEPT : new Decision.Reject(first);
    }

    /**
     * The send API's question: which of the message's recipients lack consent for it, each with its status; a
     * {@code message.rejected} event is written for each.
     */
    public Map<Address, ConsentStatus.Refused> admit(SendContext context, List<Address> recipients) {
        if (!ledger.applies(context)) {
            return Map.of();
        }
        Map<Address, ConsentStatus.Refused> out = refusals(context, recipients);
        out.forEach((to, r) -> refused("api", to, r, context, REFUSED + text(r)));
        return out;
    }

    /** How a refusal reads to the client: {@code consent_expired (implied-inquiry consent of ... expired on ...)}. */
    public static String text(ConsentStatus.Refused r) {
        return r.reason().code() + " (" + r.describe() + ")";
    }

    private Map<Address, ConsentStatus.Refused> refusals(SendContext context, List<Address> recipients) {
        TenantId tenant = TenantId.parse(context.tenant());
        Map<Address, ConsentStatus.Refused> out = new LinkedHashMap<>();
        for (Address to : recipients) {
            if (ledger.status(tenant, to, context) instanceof ConsentStatus.Refused r) {
                out.put(to, r);
            }
        }
        return out;
    }

    // the refusal's reply, told to the feed as message.rejected with the reason
    private Reply refused(String client, Address to, ConsentStatus.Refused r, SendContext context, String text) {
        Reply reply = Reply.of(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, text);
        events.publish(new MailEvent.Rejected(clock.instant(), client, STAGE, null, to.toString(), reply.summary(),
                r.reason().code(), context));
        return reply;
    }

    private Optional<ApiKey> key(Client client) {
        return client.authenticated() ? ApiKey.idOf(client.user()).flatMap(tenancy::key) : Optional.empty();
    }
}
