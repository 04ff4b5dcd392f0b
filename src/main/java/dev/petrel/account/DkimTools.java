package dev.petrel.account;

import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import java.util.List;

/**
 * What the account operations need of DKIM beyond the store: making a key pair and the TXT record it is
 * published under, and looking that record up in DNS. The command line gives an implementation on the signer
 * and the resolver.
 */
public interface DkimTools {

    /** A stored key as an operator sees it: where it is published and how. */
    record Published(String domain, String selector, String recordName, String keyType, boolean active,
                     String zoneLine) {}

    /**
     * The DNS check of a domain's keys: one line per key, whether every active key is published as stored, and
     * each active key as an item of the domain's checklist ({@code petrel domain check}; a key no longer in use
     * need not be published).
     */
    record Report(List<String> lines, boolean ok, List<Checklist.Item> keys) {

        public Report {
            lines = List.copyOf(lines);
            keys = List.copyOf(keys);
        }

        /** True when the domain has an active key and every active key is published as stored: its mail passes DKIM. */
        public boolean signs() {
            return ok && !keys.isEmpty();
        }
    }

    /**
     * A new key pair for the domain; {@code selector} null for the default (algorithm and month), {@code algorithm}
     * "rsa" or "ed25519". A wrong selector or algorithm is an {@link IllegalArgumentException}.
     */
    DkimKeyEntry generate(Domain domain, String selector, String algorithm);

    Published describe(DkimKeyEntry key);

    Report check(List<DkimKeyEntry> keys);
}
