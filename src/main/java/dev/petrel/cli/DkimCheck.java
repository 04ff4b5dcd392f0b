package dev.petrel.cli;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimKey;
import java.util.ArrayList;
import java.util.List;

/** {@code petrel dkim check}: is each stored key of a domain published in DNS as it is stored? */
final class DkimCheck {

    /** One line per key, and whether every active key is published correctly. */
    record Report(List<String> lines, boolean ok) {}

    private DkimCheck() {}

    static Report check(DkimKeyStore keys, Resolver resolver, Domain domain) {
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        List<DkimKeyEntry> entries = keys.keys(domain);
        if (entries.isEmpty()) {
            return new Report(List.of(domain + " has no DKIM key (petrel dkim keygen " + domain + ")"), false);
        }
        for (DkimKeyEntry e : entries) {
            DkimKey key = StoredDkimKeys.toKey(e);
            String state = switch (resolver.lookupTxt(key.recordName())) {
                case Lookup.Found<String> found -> found.records().stream().anyMatch(key::publishedBy)
                        ? "published, matches" : "published with another key: publish " + DkimCommand.zoneLine(key);
                case Lookup.TemporaryFailure<String> failure -> "cannot tell now: DNS failure (" + failure.reason() + ")";
                default -> "not published: publish " + DkimCommand.zoneLine(key);
            };
            boolean matches = state.equals("published, matches");
            ok &= matches || !e.active();
            lines.add(key.recordName() + " " + e.keyType() + (e.active() ? " active" : "") + ": " + state);
        }
        return new Report(lines, ok);
    }
}
