package dev.petrel.account;

import dev.petrel.mail.Address;

/** What a local address stands for, as {@link LocalRecipients} finds it. */
public sealed interface Resolution {

    /**
     * A mailbox: mail is stored for {@code mailbox}, the user's own address (a sub-address or a differently cased
     * local part arrives here under the user's name).
     *
     * @param quota the most octets the mailbox may hold, or {@link User#NO_QUOTA}
     */
    record Mailbox(Address mailbox, long quota) implements Resolution {}

    /** An alias (perhaps the domain's catch-all): the mail goes on to its targets. */
    record Forward(Alias alias) implements Resolution {}

    /** Nobody here by that name. */
    record Unknown() implements Resolution {}
}
