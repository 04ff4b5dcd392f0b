package dev.petrel.account;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.Locale;
import java.util.Optional;

/**
 * Who an address in a local domain is, in the order Postfix looks (virtual(5)): an alias for the whole address,
 * the user of that address, then the same two without the sub-address ({@code user+tag} is {@code user}), then
 * the domain's catch-all alias. Postmaster is always someone (RFC 5321 4.5.1): without a user or alias of that
 * name, it has a mailbox of its own. The server's host name takes mail for its postmaster even when it is not a
 * local domain.
 *
 * <p>Domains never depend on case. Local parts are matched without regard to case unless configured otherwise
 * (RFC 5321 2.4 lets the receiving host decide); mailboxes are then named in lower case, so one user has one.
 */
public final class LocalRecipients {

    private static final String POSTMASTER = "postmaster";

    private final Users users;
    private final Domains domains;
    private final Aliases aliases;
    private final Domain hostname;
    private final String delimiters;
    private final boolean caseSensitive;

    /**
     * @param hostname the server's own name, whose postmaster is local; null when it is not a domain name
     * @param delimiters the characters that start a sub-address (Postfix's recipient_delimiter); empty for none
     * @param caseSensitive local parts must match exactly, case included
     */
    public LocalRecipients(Users users, Domains domains, Aliases aliases, Domain hostname, String delimiters,
                           boolean caseSensitive) {
        this.users = users;
        this.domains = domains;
        this.aliases = aliases;
        this.hostname = hostname;
        this.delimiters = delimiters == null ? "" : delimiters;
        this.caseSensitive = caseSensitive;
    }

    /** Mail for this address is delivered here rather than relayed. */
    public boolean isLocal(Address address) {
        return domains.isLocal(address.domain()) || isHostPostmaster(address);
    }

    private boolean isHostPostmaster(Address address) {
        return address.domain().equals(hostname) && address.localPart().equalsIgnoreCase(POSTMASTER);
    }

    /** What the address stands for; only meaningful for a {@link #isLocal local} address. */
    public Resolution resolve(Address address) {
        if (!domains.isLocal(address.domain())) {
            return isHostPostmaster(address) ? postmaster(address) : new Resolution.Unknown();
        }
        Optional<Resolution> found = exact(address.localPart(), address.domain());
        if (found.isEmpty()) {
            found = baseOf(address.localPart()).flatMap(base -> exact(base, address.domain()));
        }
        if (found.isEmpty()) {
            found = aliases.alias(null, address.domain()).map(Resolution.Forward::new);
        }
        if (found.isEmpty() && address.localPart().equalsIgnoreCase(POSTMASTER)) {
            found = Optional.of(postmaster(address));
        }
        return found.orElseGet(Resolution.Unknown::new);
    }

    /** The mailbox of a user, ignoring aliases: where an alias that names itself keeps its copy. */
    public Optional<Resolution.Mailbox> mailboxOf(Address address) {
        return users.user(address).filter(u -> matches(u.address().localPart(), address.localPart()))
                .map(this::mailbox);
    }

    private Optional<Resolution> exact(String localPart, Domain domain) {
        Optional<Alias> alias = aliases.alias(localPart, domain).filter(a -> matches(a.localPart(), localPart));
        if (alias.isPresent()) {
            return Optional.of(new Resolution.Forward(alias.get()));
        }
        return mailboxOf(new Address(localPart, domain)).map(m -> m);
    }

    // "user+tag" is "user"; a local part that starts with the delimiter has no base (Postfix does the same)
    private Optional<String> baseOf(String localPart) {
        for (int i = 1; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) {
                return Optional.of(localPart.substring(0, i));
            }
        }
        return Optional.empty();
    }

    private boolean matches(String stored, String given) {
        return !caseSensitive || stored.equals(given);
    }

    private Resolution.Mailbox mailbox(User user) {
        return new Resolution.Mailbox(named(user.address()), user.quota());
    }

    private Resolution.Mailbox postmaster(Address address) {
        return new Resolution.Mailbox(named(address), User.NO_QUOTA);
    }

    private Address named(Address address) {
        return caseSensitive ? address : new Address(address.localPart().toLowerCase(Locale.ROOT), address.domain());
    }
}
