package dev.petrel.tenant;

import dev.petrel.mail.Domain;
import dev.petrel.mail.IpLiteral;
import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A tenant's stream of mail: transactional (receipts, resets) or broadcast (newsletters), each with its own egress
 * and limits, so that one never slows or stains the other.
 *
 * @param source the source address remote delivery binds to, or null for the default
 * @param ehlo the name given in EHLO to remote servers, or null for the host name
 * @param egress the {@code [[delivery.egress]]} pool it sends from (instead of a source and EHLO name of its own),
 *               or null
 * @param paused mail is accepted and held back from delivery while paused
 * @param sandbox accepted, reported as delivered, and never sent (customers' tests)
 * @param perSecond the most messages a second, 0 for no limit
 * @param perDay the most messages a day, 0 for no limit
 * @param pause why and since when the reputation guard paused it; null when it runs, or an operator paused it
 * @param resumed when it was last resumed, null when never: the reputation guard judges it on what came after
 */
public record Stream(TenantId tenant, String name, Kind kind, String source, String ehlo, String egress,
                     boolean paused, boolean sandbox, long perSecond, long perDay, Instant created, Pause pause,
                     Instant resumed) {

    /**
     * Why the stream was paused for its reputation: the rate that was over its threshold ({@code hard_bounce_rate},
     * {@code complaint_rate}), in words ({@code 31 hard bounces of 500 recipients (6.2%) in 24h, over 5.0%}), and
     * when.
     */
    public record Pause(String reason, String text, Instant at) {
        public Pause {
            if (reason == null || text == null || at == null) {
                throw new IllegalArgumentException("a pause has a reason, a text and a time");
            }
        }

        /** As the command line and the log write it: {@code hard_bounce_rate: 31 hard bounces of ...}. */
        public String summary() {
            return reason + ": " + text;
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public enum Kind {
        TRANSACTIONAL, BROADCAST;

        /** The kind as the command line and the APIs write it. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.text().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("a stream's kind is transactional or broadcast, not " + text);
        }
    }

    public Stream {
        checkName(name);
        if (perSecond < 0 || perDay < 0) {
            throw new IllegalArgumentException("a stream's limits are 0 (none) or more");
        }
        checkEgress(source, ehlo, egress);
        if (pause != null && !paused) {
            throw new IllegalArgumentException("a stream that runs has no pause");
        }
    }

    /** A stream as it was before pauses had reasons (an operator's pause has none). */
    public Stream(TenantId tenant, String name, Kind kind, String source, String ehlo, String egress,
                  boolean paused, boolean sandbox, long perSecond, long perDay, Instant created) {
        this(tenant, name, kind, source, ehlo, egress, paused, sandbox, perSecond, perDay, created, null, null);
    }

    /** A stream without a pool of its own. */
    public Stream(TenantId tenant, String name, Kind kind, String source, String ehlo, boolean paused,
                  boolean sandbox, long perSecond, long perDay, Instant created) {
        this(tenant, name, kind, source, ehlo, null, paused, sandbox, perSecond, perDay, created);
    }

    /** A new stream with no limits, neither paused nor in the sandbox. */
    public static Stream of(TenantId tenant, String name, Kind kind, String source, String ehlo, Instant created) {
        return of(tenant, name, kind, source, ehlo, null, created);
    }

    /** A new stream sending from the pool {@code egress} (or from its own source and EHLO name when that is null). */
    public static Stream of(TenantId tenant, String name, Kind kind, String source, String ehlo, String egress,
                            Instant created) {
        return new Stream(tenant, name, kind, source, ehlo, egress, false, false, 0, 0, created);
    }

    // a pool, or a source address and EHLO name of its own: never both, or it would be unclear which applies
    private static void checkEgress(String source, String ehlo, String egress) {
        if (egress != null && (source != null || ehlo != null)) {
            throw new IllegalArgumentException("a stream sends from an egress pool or from its own source address"
                    + " and EHLO name, not both");
        }
        if (egress != null && !NAME.matcher(egress).matches()) {
            throw new IllegalArgumentException("an egress pool's name is 1 to 64 lower-case letters, digits, _ or -: "
                    + egress);
        }
        if (source != null) {
            IpLiteral.parse(source);
        }
        if (ehlo != null) {
            Domain.parse(ehlo);
        }
    }

    /** What the stream may send, within what its tenant may. */
    public Limits limits() {
        return new Limits(perSecond, perDay);
    }

    /** Throws when {@code name} is not a stream name (1 to 64 lower-case letters, digits, _ or -). */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a stream name is 1 to 64 lower-case letters, digits, _ or -,"
                    + " starting with a letter or digit: " + name);
        }
        return name;
    }
}
