package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One address the tenant does not send to: on every stream of the tenant, or on one stream. Hard bounces and
 * complaints hold for every stream (the address is gone, or its owner does not want the tenant's mail); an
 * unsubscribe holds for the stream it came from (a newsletter, not the receipts); one added by hand holds where
 * it was put.
 *
 * @param stream the stream it holds on, or null for every stream of the tenant
 * @param address the recipient as {@link #key(Address)} writes it: compared without regard to case
 * @param created when it was recorded (the event's time for one added from the event feed)
 * @param sourceEvent the id of the event it came from (its cursor in the feed, as webhooks give it), or null
 */
public record Suppression(TenantId tenant, String stream, String address, Reason reason, Instant created,
                          String sourceEvent) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** Why an address is suppressed; a stronger reason replaces a weaker one for the same address and stream. */
    public enum Reason {
        /** Added by an operator or the tenant (the command line, the API). */
        MANUAL("added by hand"),
        /** A remote server said the address does not exist (a bounce of class hard). */
        HARD_BOUNCE("hard bounce"),
        /** The recipient unsubscribed (one-click, the mailto address, the page). */
        UNSUBSCRIBE("unsubscribe"),
        /** The recipient marked the tenant's mail as spam (a feedback loop's report). */
        COMPLAINT("complaint");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** As the APIs, the command line and events write it: {@code hard_bounce}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** For people: {@code hard bounce}. */
        public String words() {
            return words;
        }

        /** How strong it is: a complaint outranks an unsubscribe, which outranks a hard bounce, then manual. */
        public int rank() {
            return ordinal();
        }

        public static Reason parse(String code) {
            for (Reason r : values()) {
                if (r.code().equals(code)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("a suppression's reason is one of " + codes() + ", not " + code);
        }

        /** "manual, hard_bounce, unsubscribe, complaint". */
        public static String codes() {
            return Arrays.stream(values()).map(Reason::code).collect(Collectors.joining(", "));
        }
    }

    public Suppression {
        if (stream != null && stream.isEmpty()) {
            throw new IllegalArgumentException("a suppression of every stream has no stream name (null), not \"\"");
        }
    }

    /** The form addresses are kept and compared in: as written, in lower case (as the large providers take them). */
    public static String key(Address address) {
        return address.toString().toLowerCase(Locale.ROOT);
    }

    /** Whether it holds on every stream of the tenant. */
    public boolean everyStream() {
        return stream == null;
    }

    /** Why and since when, for people: {@code hard bounce on 2026-12-01}, {@code unsubscribe from stream news on ...}. */
    public String describe() {
        return reason.words() + (stream == null ? "" : " from stream " + stream) + " on " + DAY.format(created);
    }
}
