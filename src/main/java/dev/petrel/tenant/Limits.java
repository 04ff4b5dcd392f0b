package dev.petrel.tenant;

/**
 * What a tenant or one of its streams may send: messages a second (a token bucket that holds one second's worth,
 * at least one message) and messages a day (a quota per UTC day); 0 is no limit.
 */
public record Limits(long perSecond, long perDay) {

    /** No limit at all: what a new tenant and a new stream have. */
    public static final Limits NONE = new Limits(0, 0);

    /** The most messages a second a limit may name. */
    public static final long MAX_PER_SECOND = 1_000_000;

    /** The most messages a day a limit may name. */
    public static final long MAX_PER_DAY = 10_000_000_000L;

    public Limits {
        checkPerSecond(perSecond);
        checkPerDay(perDay);
    }

    /** Throws when {@code value} is not a number of messages a second from 0 to {@link #MAX_PER_SECOND}. */
    public static long checkPerSecond(long value) {
        return check("messages a second", value, MAX_PER_SECOND);
    }

    /** Throws when {@code value} is not a number of messages a day from 0 to {@link #MAX_PER_DAY}. */
    public static long checkPerDay(long value) {
        return check("messages a day", value, MAX_PER_DAY);
    }

    private static long check(String what, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " are 0 (no limit) to " + max + ", not " + value);
        }
        return value;
    }

    /** These limits with the ones given changed; a null keeps the current value. */
    public Limits with(Long newPerSecond, Long newPerDay) {
        return new Limits(newPerSecond == null ? perSecond : newPerSecond, newPerDay == null ? perDay : newPerDay);
    }

    public boolean none() {
        return perSecond == 0 && perDay == 0;
    }

    /** As lists show them: {@code per_second=10 per_day=5000}, or empty without limits. */
    public String text() {
        return (perSecond == 0 ? "" : " per_second=" + perSecond) + (perDay == 0 ? "" : " per_day=" + perDay);
    }
}
