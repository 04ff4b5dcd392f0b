package dev.petrel.delivery.local;

import dev.petrel.account.Alias;
import dev.petrel.account.LocalRecipients;
import dev.petrel.account.Resolution;
import dev.petrel.bounce.Action;
import dev.petrel.delivery.LocalTransport;
import dev.petrel.delivery.Transport.Delivery;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import dev.petrel.queue.Door;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Delivery for the local domains. Each recipient is looked up as it is now ({@link LocalRecipients}): a mailbox
 * gets the message in its Maildir, or through the domain's LMTP server; an alias sends a copy on to its targets
 * as a new queued message (as Postfix's local(8) forwards), marked with Delivered-To so that a forwarding loop
 * is found and bounced instead of going round; an address nobody has any more bounces.
 */
public final class LocalDelivery implements LocalTransport {

    /** How the log names deliveries into Maildirs. */
    static final String RELAY = "local";

    // RFC 3463 3.3: X.2.2 Mailbox full; 3.5: X.4.6 Routing loop detected; 3.4: X.3.0 Other or undefined mail system status
    static final EnhancedStatus MAILBOX_FULL_TRANSIENT = new EnhancedStatus(4, 2, 2);
    static final EnhancedStatus MAILBOX_FULL = new EnhancedStatus(5, 2, 2);
    static final EnhancedStatus LOOP = new EnhancedStatus(5, 4, 6);
    static final EnhancedStatus DELIVERED = new EnhancedStatus(2, 0, 0);

    private final LocalRecipients directory;
    private final MaildirLayout layout;
    private final Maildirs maildirs;
    private final Map<Domain, LmtpTarget> lmtp;
    private final LmtpClient lmtpClient;
    private final Door door;
    private final Clock clock;
    private final Duration overQuotaGrace;

    /**
     * @param lmtp the domains whose mailboxes are reached over LMTP instead of in Maildirs
     * @param overQuotaGrace how long a message waits for room in a full mailbox before it bounces
     */
    public LocalDelivery(LocalRecipients directory, MaildirLayout layout, Maildirs maildirs, Map<Domain, LmtpTarget> lmtp,
                         String heloName, dev.petrel.smtp.client.Timeouts lmtpTimeouts, Door door, Clock clock,
                         Duration overQuotaGrace) {
        this.directory = directory;
        this.layout = layout;
        this.maildirs = maildirs;
        this.lmtp = Map.copyOf(lmtp);
        this.lmtpClient = new LmtpClient(heloName, lmtpTimeouts);
        this.door = door;
        this.clock = clock;
        this.overQuotaGrace = overQuotaGrace;
    }

    @Override
    public boolean handles(Address recipient) {
        return directory.isLocal(recipient);
    }

    @Override
    public List<Delivery> deliver(StoredMessage stored, List<Recipient> recipients) {
        Delivery[] out = new Delivery[recipients.size()];
        Map<LmtpTarget, List<Integer>> viaLmtp = new LinkedHashMap<>();
        List<Address> mailboxes = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            mailboxes.add(null);
            switch (directory.resolve(r.address())) {
                case Resolution.Unknown u -> out[i] = failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX,
                        "User unknown in local recipient table"));
                case Resolution.Forward f -> out[i] = forward(stored, r, f.alias());
                case Resolution.Mailbox m -> {
                    LmtpTarget target = lmtp.get(m.mailbox().domain());
                    if (target == null) {
                        out[i] = intoMaildir(stored, r, m);
                    } else {
                        mailboxes.set(i, m.mailbox());
                        viaLmtp.computeIfAbsent(target, t -> new ArrayList<>()).add(i);
                    }
                }
            }
        }
        viaLmtp.forEach((target, indexes) -> overLmtp(stored, target, recipients, mailboxes, indexes, out));
        return List.of(out);
    }

    private Delivery intoMaildir(StoredMessage stored, Recipient r, Resolution.Mailbox m) {
        Path maildir;
        try {
            maildir = layout.mailbox(m.mailbox());
        } catch (IllegalArgumentException e) {
            return failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_SYNTAX, "Mailbox name not usable: "
                    + m.mailbox().localPart()));
        }
        byte[] head = TraceHeaders.forMailbox(stored.message().envelope().reversePath(), r.address());
        try {
            if (m.quota() > 0) {
                long size = head.length + stored.content().length;
                long used = maildirs.usage(maildir);
                if (used + size > m.quota()) {
                    return overQuota(stored, r, used);
                }
            }
            maildirs.deliver(maildir, head, stored.content());
        } catch (IOException e) {
            return new Delivery(new RecipientOutcome.Deferred(r, Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT,
                    "Cannot write to the mailbox: " + e.getClass().getSimpleName() + " " + e.getMessage())), RELAY);
        }
        return new Delivery(new RecipientOutcome.Delivered(r, Reply.of(250, DELIVERED, "Delivered to maildir")),
                RELAY, Action.DELIVERED);
    }

    // a full mailbox may empty: a temporary failure at first, a bounce once the message has waited long enough
    private Delivery overQuota(StoredMessage stored, Recipient r, long used) {
        Duration waited = Duration.between(stored.message().arrival(), clock.instant());
        String text = "Mailbox full: " + used + " octets in use";
        if (waited.compareTo(overQuotaGrace) < 0) {
            return new Delivery(new RecipientOutcome.Deferred(r, Reply.of(452, MAILBOX_FULL_TRANSIENT, text)), RELAY);
        }
        return failed(r, Reply.of(552, MAILBOX_FULL, text));
    }

    private Delivery forward(StoredMessage stored, Recipient r, Alias alias) {
        String self = r.address().toString().toLowerCase(Locale.ROOT);
        if (TraceHeaders.deliveredTo(stored.content()).contains(self)) {
            // like Postfix's local(8): this message came through this alias before
            return failed(r, Reply.of(554, LOOP, "Mail forwarding loop for " + r.address()));
        }
        List<Address> onward = new ArrayList<>();
        boolean keepCopy = false;
        for (Address target : alias.targets()) {
            if (isSelf(target, r, alias)) {
                keepCopy = true; // "alice -> alice, bob": alice keeps a copy in her own mailbox (virtual(5))
            } else {
                onward.add(target);
            }
        }
        List<String> done = new ArrayList<>();
        if (keepCopy) {
            Optional<Resolution.Mailbox> own = directory.mailboxOf(r.address());
            if (own.isPresent()) {
                Delivery copy = intoMaildir(stored, r, own.get());
                if (!(copy.outcome() instanceof RecipientOutcome.Delivered)) {
                    return copy;
                }
                done.add("kept");
            } else if (onward.isEmpty()) {
                return failed(r, Reply.of(554, LOOP, "Alias " + alias.source() + " names only itself"));
            }
        }
        if (!onward.isEmpty()) {
            try {
                QueueId id = enqueueForward(stored, r, onward);
                done.add("forwarded as " + id);
            } catch (IOException e) {
                return new Delivery(new RecipientOutcome.Deferred(r, Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT,
                        "Cannot queue the forwarded copy: " + e.getMessage())), RELAY);
            }
        }
        int copies = onward.size() + (keepCopy ? 1 : 0);
        // RFC 3461 6.2.7.1: an alias to one address passes the DSN request on; to several, it is answered here
        Action notice = copies > 1 ? Action.EXPANDED : keepCopy ? Action.DELIVERED : null;
        return new Delivery(new RecipientOutcome.Delivered(r, Reply.of(250, DELIVERED,
                capitalized(String.join(" and ", done)))), RELAY, notice);
    }

    private static boolean isSelf(Address target, Recipient r, Alias alias) {
        return target.toString().equalsIgnoreCase(r.address().toString())
                || !alias.catchAll() && target.toString().equalsIgnoreCase(alias.address().toString());
    }

    private QueueId enqueueForward(StoredMessage stored, Recipient via, List<Address> targets) throws IOException {
        Envelope original = stored.message().envelope();
        boolean several = targets.size() > 1;
        List<Recipient> recipients = targets.stream()
                .map(t -> new Recipient(t, notifyOnward(via.notifyOn(), several), orcptOf(via))).toList();
        Envelope envelope = new Envelope(original.reversePath(), recipients, original.bodyType(), original.smtpUtf8(),
                original.ret(), original.envid(), null, "local", null, original.requireTls());
        // through the one door, as a message of its own: logged and scheduled like any queued message; a copy
        // that leaves for another server is sealed there in the alias's domain's name (RFC 8617); RFC 8689 4.1:
        // the copies of an aliased message keep its REQUIRETLS tag
        byte[] head = TraceHeaders.forForward(via.address());
        if (targets.stream().allMatch(directory::isLocal)) {
            return door.enqueue(envelope, head, stored.content());
        }
        return door.forward(envelope, via.address().domain(), head, stored.content());
    }

    // RFC 3461 6.2.7.1: SUCCESS is answered by the "expanded" notice, so the copies do not ask for it again
    private static Set<Recipient.Notify> notifyOnward(Set<Recipient.Notify> notify, boolean several) {
        if (!several || !notify.contains(Recipient.Notify.SUCCESS)) {
            return notify;
        }
        Set<Recipient.Notify> rest = EnumSet.noneOf(Recipient.Notify.class);
        rest.addAll(notify);
        rest.remove(Recipient.Notify.SUCCESS);
        return rest.isEmpty() ? Set.of(Recipient.Notify.NEVER) : rest;
    }

    // RFC 3461 4.2: the copies keep the address the sender gave
    private static String orcptOf(Recipient via) {
        return via.orcpt() != null ? via.orcpt() : "rfc822;" + via.address();
    }

    private void overLmtp(StoredMessage stored, LmtpTarget target, List<Recipient> recipients, List<Address> mailboxes,
                          List<Integer> indexes, Delivery[] out) {
        Envelope original = stored.message().envelope();
        // the LMTP server delivers finally: DSN requests stay here, where success is reported as "delivered"
        Envelope envelope = new Envelope(original.reversePath(), indexes.stream().map(i -> Recipient.of(mailboxes.get(i)))
                .toList(), original.bodyType(), original.smtpUtf8(), Envelope.Ret.NONE, null, null, "local", null);
        List<RecipientOutcome> outcomes = lmtpClient.deliver(target, Transaction.of(envelope, stored.content()));
        for (int k = 0; k < indexes.size(); k++) {
            Recipient r = recipients.get(indexes.get(k));
            RecipientOutcome o = outcomes.get(k);
            RecipientOutcome mine = switch (o) {
                case RecipientOutcome.Delivered d -> new RecipientOutcome.Delivered(r, d.reply());
                case RecipientOutcome.Deferred d -> new RecipientOutcome.Deferred(r, d.reply());
                case RecipientOutcome.Failed f -> new RecipientOutcome.Failed(r, f.reply());
            };
            out[indexes.get(k)] = new Delivery(mine, target.relay(), Action.DELIVERED);
        }
    }

    private static Delivery failed(Recipient r, Reply reply) {
        return new Delivery(new RecipientOutcome.Failed(r, reply), RELAY);
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
