package dev.petrel.compliance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a recipient's consent holds at a moment, from the ledger's records alone (CASL section 10): express
 * consent until withdrawn; implied consent from a purchase or contract, or from a donation, volunteer work or
 * membership, for two years (10(10)(a), (b), (e), (f)); from an inquiry for six months (10(10)(c)); from a
 * conspicuously published address (10(9)(b)) with no expiry, but only for mail relevant to the person's role. A
 * newer record of a kind starts its period again (a new purchase renews), and a withdrawal ends every consent given
 * before it; one given after it counts again. Records dated after the moment asked about do not count yet.
 */
public final class ConsentRule {

    private ConsentRule() {}

    /**
     * The status at {@code now} for mail that is (or is not) relevant to the recipient's business or role.
     *
     * @param records the recipient's records, in any order
     */
    public static ConsentStatus status(List<Consent> records, Instant now, boolean roleRelevant) {
        List<Consent> known = records.stream().filter(r -> !r.at().isAfter(now))
                .sorted(Comparator.comparing(Consent::at).thenComparingLong(Consent::id)).toList();
        Optional<Consent> withdrawal = known.stream().filter(r -> r.kind() == Consent.Kind.WITHDRAWAL)
                .reduce((a, b) -> b);
        List<Consent> standing = known.stream().filter(r -> r.kind() != Consent.Kind.WITHDRAWAL)
                .filter(r -> withdrawal.isEmpty() || r.at().isAfter(withdrawal.get().at())).toList();
        Optional<ConsentStatus.Valid> best = standing.stream()
                .filter(r -> roleRelevant || r.kind() != Consent.Kind.IMPLIED_PUBLISHED)
                .map(r -> new ConsentStatus.Valid(r, until(r)))
                .filter(v -> v.until() == null || now.isBefore(v.until()))
                .max(Comparator.comparing(ConsentRule::reach).thenComparing(v -> v.record().at())
                        .thenComparingLong(v -> v.record().id()));
        if (best.isPresent()) {
            return best.get();
        }
        if (standing.isEmpty()) {
            return withdrawal.<ConsentStatus>map(ConsentStatus.Withdrawn::new)
                    .orElseGet(() -> new ConsentStatus.None("no consent on record"));
        }
        Optional<ConsentStatus.Valid> expired = standing.stream().filter(r -> until(r) != null)
                .map(r -> new ConsentStatus.Valid(r, until(r))).max(Comparator.comparing(ConsentStatus.Valid::until));
        if (expired.isPresent()) {
            return new ConsentStatus.Expired(expired.get().record(), expired.get().until());
        }
        return new ConsentStatus.None("implied-published consent covers only mail relevant to the recipient's role");
    }

    /** When consent of this record runs out; null for never (express, published). */
    public static Instant until(Consent record) {
        ZonedDateTime at = record.at().atZone(ZoneOffset.UTC);
        return switch (record.kind()) {
            case EXPRESS, IMPLIED_PUBLISHED, WITHDRAWAL -> null;
            case IMPLIED_BUSINESS, IMPLIED_NON_BUSINESS -> at.plusYears(2).toInstant();
            case IMPLIED_INQUIRY -> at.plusMonths(6).toInstant();
        };
    }

    // the record relied on: one that never runs out, else the one that lasts longest; the newest among equals
    private static Instant reach(ConsentStatus.Valid v) {
        return v.until() == null ? Instant.MAX : v.until();
    }
}
