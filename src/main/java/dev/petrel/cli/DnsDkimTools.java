package dev.petrel.cli;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimTools;
import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.security.SecureRandom;

/**
 * DKIM for the account operations, on the signer's keys and the DNS resolver: makes key pairs, writes their TXT
 * records, and checks ({@code petrel dkim check}) that each stored key is published as it is stored.
 */
final class DnsDkimTools implements DkimTools {

    private final Resolver resolver;
    private final Clock clock;
    private final SecureRandom random;

    /** @param random a secure generator */
    DnsDkimTools(Resolver resolver, Clock clock, SecureRandom random) {
        this.resolver = resolver;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public DkimKeyEntry generate(Domain domain, String selector, String algorithm) {
        DkimAlgorithm a = DkimAlgorithm.ofKeyType(algorithm);
        String s = selector != null ? selector : a.keyType() + String.format("%1$tY%1$tm",
                LocalDate.ofInstant(clock.instant(), clock.getZone()));
        DkimKey key = DkimKey.generate(domain, s, a, random);
        return new DkimKeyEntry(key.domain(), key.selector(), key.algorithm().keyType(), key.pkcs8(), true);
    }

    @Override
    public Published describe(DkimKeyEntry e) {
        DkimKey key = StoredDkimKeys.toKey(e);
        return new Published(e.domain().name(), e.selector(), key.recordName(), e.keyType(), e.active(),
                zoneLine(key));
    }

    @Override
    public Report check(List<DkimKeyEntry> entries) {
        List<String> lines = new ArrayList<>();
        List<Checklist.Item> active = new ArrayList<>();
        boolean ok = true;
        for (DkimKeyEntry e : entries) {
            Checklist.Item item = item(StoredDkimKeys.toKey(e));
            ok &= item.ok() || !e.active();
            if (e.active()) {
                active.add(item);
            }
            lines.add(item.subject() + " " + e.keyType() + (e.active() ? " active" : "") + ": " + item.detail()
                    + (item.ok() || item.publish() == null ? "" : ": publish " + item.publish()));
        }
        return new Report(lines, ok, active);
    }

    // the key's record as DNS has it: the same key, another one, none, or no answer now
    private Checklist.Item item(DkimKey key) {
        String zoneLine = zoneLine(key);
        return switch (resolver.lookupTxt(key.recordName())) {
            case Lookup.Found<String> found when found.records().stream().anyMatch(key::publishedBy) ->
                    new Checklist.Item("dkim", key.recordName(), Checklist.Status.OK, "published, matches", null);
            case Lookup.Found<String> found -> new Checklist.Item("dkim", key.recordName(), Checklist.Status.WRONG,
                    "published with another key", zoneLine);
            case Lookup.TemporaryFailure<String> failure -> new Checklist.Item("dkim", key.recordName(),
                    Checklist.Status.WRONG, "cannot tell now: DNS failure (" + failure.reason() + ")", null);
            default -> new Checklist.Item("dkim", key.recordName(), Checklist.Status.MISSING, "not published",
                    zoneLine);
        };
    }

    /** The record as a zone file line, in TXT strings of at most 255 octets. */
    static String zoneLine(DkimKey key) {
        return key.recordName() + ". IN TXT " + String.join(" ", key.recordStrings().stream()
                .map(part -> "\"" + part + "\"").toList());
    }
}
