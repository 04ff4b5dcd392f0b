package dev.petrel.account;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.List;
import java.util.Locale;

/**
 * Mail for {@code localPart@domain} goes on to the targets instead of a mailbox; with no local part the alias is
 * the domain's catch-all ({@code @domain}), which takes every address of the domain that nothing else takes.
 * Targets may be local or remote addresses, and may be aliases themselves.
 *
 * @param localPart the local part as given, or null for a catch-all
 */
public record Alias(String localPart, Domain domain, List<Address> targets) {

    public Alias {
        if (domain == null) {
            throw new IllegalArgumentException("an alias needs a domain");
        }
        if (localPart != null && localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part; a catch-all has none at all");
        }
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("an alias has at least one target");
        }
    }

    /**
     * Parses the source side: {@code local@domain}, or {@code @domain} for the domain's catch-all. The targets
     * are given apart.
     */
    public static Alias parse(String source, List<Address> targets) {
        if (source.startsWith("@")) {
            return new Alias(null, Domain.parse(source.substring(1)), targets);
        }
        Address a = Address.of(source);
        return new Alias(a.localPart(), a.domain(), targets);
    }

    public boolean catchAll() {
        return localPart == null;
    }

    /** The key this alias is found under: local parts match without regard to case. */
    public String key() {
        return key(localPart, domain);
    }

    public static String key(String localPart, Domain domain) {
        return (localPart == null ? "" : localPart.toLowerCase(Locale.ROOT)) + "@" + domain.name();
    }

    /** The source as written in commands: {@code sales@example.com} or {@code @example.com}. */
    public String source() {
        return localPart == null ? "@" + domain.name() : new Address(localPart, domain).toString();
    }

    /** The address an alias with a local part stands for. */
    public Address address() {
        if (localPart == null) {
            throw new IllegalStateException("a catch-all has no single address");
        }
        return new Address(localPart, domain);
    }
}
