package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One record of the CASL consent ledger: a consent a recipient gave a tenant, or its withdrawal. Records are never
 * changed or removed: a correction is a new record, a withdrawal is a record of its own, and the rule of
 * {@link ConsentRule} reads them all.
 *
 * @param id the ledger's number for it (0 before it is written)
 * @param recipient the recipient as {@link #key} writes it
 * @param at when the consent was given or withdrawn (a purchase's date, the form's submission), not when it was
 *           written down
 * @param source who wrote it down: {@code cli}, {@code api}, {@code unsubscribe} (a one-click link)
 * @param recorded when it was written down
 */
public record Consent(long id, TenantId tenant, String recipient, Kind kind, Instant at, Evidence evidence,
                      String source, Instant recorded) {

    /** The longest evidence field kept, in characters. */
    public static final int MAX_EVIDENCE = 2000;

    public Consent {
        if (tenant == null || recipient == null || kind == null || at == null || evidence == null || source == null
                || recorded == null) {
            throw new IllegalArgumentException("a consent record has a tenant, recipient, kind, time and source");
        }
    }

    /** The kinds of record (CASL 10(9) lists the implied ones); {@link #WITHDRAWAL} ends every consent before it. */
    public enum Kind {
        /** Asked for and given (CASL 10(1)): valid until withdrawn. */
        EXPRESS,
        /** A purchase, lease or contract (CASL 10(10)(a), (b)): two years from it. */
        IMPLIED_BUSINESS,
        /** An inquiry or application (CASL 10(10)(c)): six months from it. */
        IMPLIED_INQUIRY,
        /**
         * An address conspicuously published without a statement refusing mail (CASL 10(9)(b)): no expiry, but only
         * for mail relevant to the person's business or role.
         */
        IMPLIED_PUBLISHED,
        /** A donation, volunteer work or membership (CASL 10(10)(e), (f)): two years from it. */
        IMPLIED_NON_BUSINESS,
        /** The recipient withdrew consent (an unsubscribe, a request): ends every consent given before. */
        WITHDRAWAL;

        /** As the APIs and the command line write it: {@code implied-business}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The kind of its text; an {@link IllegalArgumentException} naming the kinds otherwise. */
        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.text().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("kind must be express, implied-business, implied-inquiry,"
                    + " implied-published, implied-non-business or withdrawal, not " + text);
        }
    }

    /**
     * Where the consent came from, as the tenant can show it: the form, the page's URL, the client's IP address,
     * the wording the person saw, and a free note; each may be empty, none is null.
     */
    public record Evidence(String form, String url, String ip, String wording, String note) {

        public static final Evidence NONE = new Evidence("", "", "", "", "");

        public Evidence {
            form = checked("form", form);
            url = checked("url", url);
            ip = checked("ip", ip);
            wording = checked("wording", wording);
            note = checked("note", note);
        }

        /** Evidence that is a note alone ({@code --evidence TEXT}). */
        public static Evidence note(String note) {
            return new Evidence("", "", "", "", note);
        }

        private static String checked(String name, String value) {
            String v = value == null ? "" : value;
            if (v.length() > MAX_EVIDENCE) {
                throw new IllegalArgumentException("evidence " + name + " is longer than " + MAX_EVIDENCE
                        + " characters");
            }
            return v;
        }
    }

    /**
     * A moment as the command line and the APIs take it: an ISO 8601 instant ({@code 2026-01-15T10:00:00Z}) or a
     * day ({@code 2026-01-15}, its start in UTC).
     */
    public static Instant parseAt(String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a time is a day (2026-01-15) or an instant (2026-01-15T10:00:00Z),"
                    + " not " + text);
        }
    }

    /**
     * How the ledger keys a recipient: the address with its domain in lower case (RFC 5321 2.4: domains are not
     * case-sensitive) and its local part as well, since mailbox providers treat it so and a consent given as
     * {@code Ann@x} must hold for mail to {@code ann@x}.
     */
    public static String key(Address address) {
        return address.toString().toLowerCase(Locale.ROOT);
    }
}
