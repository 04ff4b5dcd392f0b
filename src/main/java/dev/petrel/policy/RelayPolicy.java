package dev.petrel.policy;

import dev.petrel.account.LocalRecipients;
import dev.petrel.account.Resolution;
import dev.petrel.account.User;
import dev.petrel.account.Users;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import java.util.List;
import java.util.Optional;

/**
 * Who may send, and to whom: never an open relay. A recipient in a local domain is accepted when it is
 * someone there ({@link LocalRecipients}: a user, an alias, a sub-address of either, a catch-all, postmaster);
 * any other recipient only for an authenticated client or one in the relay networks. Address tricks ({@code %}, {@code !}, quoted local parts, source routes) are never
 * interpreted: the domain after the last {@code @} is the only one that counts.
 */
public final class RelayPolicy {

    private final Users users;
    private final LocalRecipients local;
    private final List<Network> relayNetworks;
    private final KeySending keys;
    private final FeedbackRecipients feedback;
    private final SuppressionCheck suppressions;
    private final ConsentCheck consents;

    /**
     * @param users who may send from which domains
     * @param local who the addresses of local domains are ("RCPT TO:&lt;Postmaster&gt;" arrives as postmaster at
     *              the host name)
     */
    public RelayPolicy(Users users, LocalRecipients local, List<Network> relayNetworks) {
        this(users, local, relayNetworks, null);
    }

    /** @param keys what clients that authenticated with an API key may send; null refuses them */
    public RelayPolicy(Users users, LocalRecipients local, List<Network> relayNetworks, KeySending keys) {
        this(users, local, relayNetworks, keys, FeedbackRecipients.NONE);
    }

    /** @param feedback the bounce domain's addresses and the complaints addresses, taken from anyone */
    public RelayPolicy(Users users, LocalRecipients local, List<Network> relayNetworks, KeySending keys,
                       FeedbackRecipients feedback) {
        this(users, local, relayNetworks, keys, feedback, null);
    }

    /** @param suppressions the tenants' suppression lists, checked for authenticated clients; null for none */
    public RelayPolicy(Users users, LocalRecipients local, List<Network> relayNetworks, KeySending keys,
                       FeedbackRecipients feedback, SuppressionCheck suppressions) {
        this(users, local, relayNetworks, keys, feedback, suppressions, null);
    }

    /** @param consents the tenants' consent ledgers, checked for mail on a broadcast stream; null for none */
    public RelayPolicy(Users users, LocalRecipients local, List<Network> relayNetworks, KeySending keys,
                       FeedbackRecipients feedback, SuppressionCheck suppressions, ConsentCheck consents) {
        this.consents = consents;
        this.feedback = feedback;
        this.users = users;
        this.local = local;
        this.relayNetworks = List.copyOf(relayNetworks);
        this.keys = keys;
        this.suppressions = suppressions;
    }

    /** MAIL FROM: an authenticated user may use only the domains it is allowed to. */
    public Decision mailFrom(Client client, ReversePath sender) {
        if (!client.authenticated()) {
            return Decision.ACCEPT;
        }
        if (KeySending.isKey(client.user())) {
            return keys == null ? Decision.reject(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, "API keys are not"
                    + " accepted here") : keys.mailFrom(client.user(), sender);
        }
        Optional<User> user = users.user(Address.of(client.user()));
        if (sender.isNull()) {
            return Decision.reject(553, EnhancedStatus.DELIVERY_NOT_AUTHORIZED,
                    "Sender address rejected: a null sender is not allowed for " + client.user());
        }
        if (user.isEmpty() || !user.get().maySendFrom(sender.address())) {
            return Decision.reject(553, EnhancedStatus.DELIVERY_NOT_AUTHORIZED,
                    "Sender address rejected: not owned by user " + client.user());
        }
        return Decision.ACCEPT;
    }

    /**
     * End of DATA: a message sent with an API key gets its tenant, stream, tag and metadata, and loses its
     * {@code X-Petrel-*} headers (or is refused); any other goes on as it is.
     */
    public KeySending.Verdict submission(Client client, byte[] content) {
        if (!client.authenticated() || !KeySending.isKey(client.user())) {
            return new KeySending.Verdict.Accepted(SendContext.EMPTY, content);
        }
        if (keys == null) {
            return new KeySending.Verdict.Refused(Reply.of(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED,
                    "API keys are not accepted here"));
        }
        return keys.submission(client.user(), content);
    }

    /**
     * A recipient {@link #rcptTo} accepted, against the suppression list of the client's tenant (an API key's, an
     * authenticated user's): {@code 550 5.7.1} with the reason, and a {@code message.suppressed} event, for one on it;
     * then against its consent ledger ({@link #consent}).
     */
    public Decision compliance(Client client, Recipient recipient) {
        Decision d = suppressions == null ? Decision.ACCEPT : suppressions.rcpt(client, recipient.address());
        return d instanceof Decision.Accept ? consent(client, recipient) : d;
    }

    /**
     * A recipient neither {@link #rcptTo} nor the suppression list refused, of a key made for a broadcast stream:
     * {@code 550 5.7.1} and a {@code message.rejected} event without valid consent (see {@link ConsentCheck}).
     */
    public Decision consent(Client client, Recipient recipient) {
        return consents == null ? Decision.ACCEPT : consents.rcpt(client, recipient.address());
    }

    /**
     * End of DATA, once {@link #submission} knows the stream: a recipient suppressed on a stream the message chose
     * by header refuses the message (see {@link SuppressionCheck#chosenStream}), as does one without consent for
     * mail on a broadcast stream (see {@link ConsentCheck#data}).
     */
    public Decision streamCompliance(Client client, SendContext context, List<Recipient> recipients) {
        List<Address> to = recipients.stream().map(Recipient::address).toList();
        Decision d = suppressions == null ? Decision.ACCEPT : suppressions.chosenStream(client, context, to);
        return d instanceof Decision.Accept && consents != null ? consents.data(client, context, to) : d;
    }

    /**
     * The first recipient of a transaction that {@link #rcptTo} accepted: one decision for the message against the
     * send limits of a client that authenticated with an API key (its tenant's and stream's rate and quota); any
     * other client has none.
     */
    public Decision admitMessage(Client client) {
        if (!client.authenticated() || !KeySending.isKey(client.user()) || keys == null) {
            return Decision.ACCEPT;
        }
        return keys.admit(client.user());
    }

    /** RCPT TO. */
    public Decision rcptTo(Client client, Recipient recipient) {
        Address to = recipient.address();
        if (feedback.isFeedbackAddress(to)) {
            // issue 17: a forged or mistyped bounce address is no one here (RFC 5321 4.2.2 550, RFC 3463 X.1.1)
            return feedback.accepts(to) ? Decision.ACCEPT : Decision.reject(550, EnhancedStatus.BAD_DESTINATION_MAILBOX,
                    "Recipient address rejected: not a valid bounce address");
        }
        if (local.isLocal(to)) {
            return localRecipient(to);
        }
        if (client.authenticated() || inRelayNetworks(client)) {
            return Decision.ACCEPT;
        }
        return Decision.reject(554, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, "Relay access denied");
    }

    // RFC 5321 4.5.1: postmaster, also as "<Postmaster>" without a domain, MUST be accepted; LocalRecipients knows it
    private Decision localRecipient(Address to) {
        if (!(local.resolve(to) instanceof Resolution.Unknown)) {
            return Decision.ACCEPT;
        }
        return Decision.reject(550, EnhancedStatus.BAD_DESTINATION_MAILBOX,
                "Recipient address rejected: User unknown in local recipient table");
    }

    public boolean inRelayNetworks(Client client) {
        for (Network n : relayNetworks) {
            if (n.contains(client.address())) {
                return true;
            }
        }
        return false;
    }
}
