package dev.petrel.bounce;

import dev.petrel.mail.EnhancedStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code [[throttle]]} table of a rules file: a temporary failure whose status and text match (as a
 * {@code [[rule]]}'s do) suspends delivery to the site that gave it, from the egress it was sent from, or slows it
 * to one transaction at a time, for {@code duration}: the provider asked that address to slow down (Gmail's
 * {@code 421 4.7.28}, Yahoo's {@code TSS04}, Outlook's {@code S3150}), and trying again at once only makes it worse.
 */
public record ThrottleRule(BounceRule pattern, Action action, Duration duration) {

    /** What a match does to the site, for the egress, for the rule's duration. */
    public enum Action {
        /** No transaction at all. */
        SUSPEND,
        /** One transaction at a time (the provider counts connections). */
        SLOW;

        /** As a rules file writes it. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Action parse(String text) {
            for (Action a : values()) {
                if (a.text().equals(text)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("expected \"suspend\" or \"slow\", got \"" + text + "\"");
        }
    }

    // a whole number and a unit, as the configuration writes durations
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    public ThrottleRule {
        Objects.requireNonNull(pattern);
        Objects.requireNonNull(action);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a throttle rule suspends a site for some time");
        }
    }

    /** True when a deferral with this status (null: none known) and text fits. */
    public boolean matches(EnhancedStatus status, String text) {
        return pattern.matches(status, text);
    }

    /** A duration as the configuration writes it: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("expected a duration such as \"15m\" (ms, s, m, h or d), got \"" + text
                    + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Override
    public String toString() {
        return action.text() + " " + duration + " status=" + pattern.statuses() + " text=" + pattern.texts();
    }
}
