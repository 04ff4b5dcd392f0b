package dev.petrel.bounce;

import dev.petrel.mail.EnhancedStatus;
import java.util.regex.Pattern;

/**
 * A set of enhanced status codes, written as RFC 3463 writes them: {@code 5.1.1}, {@code X.7.1} for either failure
 * class, {@code 4.X.X} for every transient one ({@code x} too). A number matches only itself; {@code X} matches any.
 *
 * @param statusClass the class (2, 4 or 5), or {@link #ANY}
 * @param subject the subject, or {@link #ANY}
 * @param detail the detail, or {@link #ANY}
 */
public record StatusPattern(int statusClass, int subject, int detail) {

    public static final int ANY = -1;

    private static final Pattern FORM = Pattern.compile("([245xX])\\.([0-9]{1,3}|[xX])\\.([0-9]{1,3}|[xX])");

    public static StatusPattern parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("expected an enhanced status code such as \"5.1.1\" or \"X.7.X\", got \""
                    + text + "\"");
        }
        String[] parts = text.split("\\.");
        return new StatusPattern(part(parts[0]), part(parts[1]), part(parts[2]));
    }

    private static int part(String text) {
        return text.equalsIgnoreCase("x") ? ANY : Integer.parseInt(text);
    }

    public boolean matches(EnhancedStatus status) {
        return status != null && fits(statusClass, status.statusClass()) && fits(subject, status.subject())
                && fits(detail, status.detail());
    }

    private static boolean fits(int pattern, int value) {
        return pattern == ANY || pattern == value;
    }

    @Override
    public String toString() {
        return text(statusClass) + "." + text(subject) + "." + text(detail);
    }

    private static String text(int part) {
        return part == ANY ? "X" : Integer.toString(part);
    }
}
