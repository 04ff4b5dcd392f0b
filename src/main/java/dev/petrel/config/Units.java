package dev.petrel.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ("500ms", "30s", "5m", "1h", "5d") and sizes ("4096", "512KiB", "25MiB", "10MB") in configuration. */
public final class Units {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*(|B|KB|KiB|MB|MiB|GB|GiB)", Pattern.CASE_INSENSITIVE);

    private Units() {}

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (use 500ms, 30s, 5m, 1h or 5d): " + text);
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too long: " + text, e);
        }
    }

    public static long size(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (use 4096, 512KiB, 25MiB or 10MB): " + text);
        }
        long n = Long.parseLong(m.group(1));
        long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "kb" -> 1000;
            case "kib" -> 1024;
            case "mb" -> 1000_000;
            case "mib" -> 1024 * 1024;
            case "gb" -> 1000_000_000;
            default -> 1024L * 1024 * 1024;
        };
        try {
            return Math.multiplyExact(n, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: " + text, e);
        }
    }

    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
