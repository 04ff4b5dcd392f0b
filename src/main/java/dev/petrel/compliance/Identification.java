package dev.petrel.compliance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What CASL section 6(2) and the CRTC's regulations (SOR/2012-36, section 2 and 3) ask a commercial message to
 * identify its sender by, read from a tenant's identification text ({@code petrel tenant set NAME --identification
 * TEXT}): a name, a mailing address, and one of a telephone number, an email address or a web address. The text is
 * taken line by line (or, on one line, part by part between commas): the first part is the name; a mailing address
 * is a later part with a digit and a letter that is not itself a way to reach the sender (a street number, a postal
 * code, a post-office box); contact is a telephone number, an email address or a web address anywhere after the
 * name. A rule of thumb, not a postal check: what it cannot see it names as missing.
 */
public final class Identification {

    /** The parts the regulations ask for, in their order. */
    public enum Part {
        NAME("name"), MAILING_ADDRESS("mailing address"), CONTACT("telephone number, email address or web address");

        private final String text;

        Part(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>,;]+@[^\\s@<>,;]+\\.[a-z]{2,}",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WEB = Pattern.compile("(https?://\\S+|\\bwww\\.\\S+\\.[a-z]{2,}\\S*)",
            Pattern.CASE_INSENSITIVE);
    // seven digits or more, with the separators telephone numbers are written with
    private static final Pattern PHONE = Pattern.compile("\\+?\\(?\\d[\\d ().-]{5,}\\d");
    private static final Pattern DIGIT = Pattern.compile("\\d");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");

    private Identification() {}

    /** The parts the text lacks, in the regulations' order; empty when it has all three. */
    public static List<Part> missing(String identification) {
        List<String> parts = parts(identification == null ? "" : identification);
        List<Part> out = new ArrayList<>();
        if (parts.isEmpty() || contact(parts.getFirst())) {
            out.add(Part.NAME);
        }
        List<String> rest = parts.isEmpty() ? List.of() : parts.subList(1, parts.size());
        if (rest.stream().noneMatch(p -> !contact(p) && DIGIT.matcher(p).find() && LETTER.matcher(p).find())) {
            out.add(Part.MAILING_ADDRESS);
        }
        if (rest.stream().noneMatch(Identification::contact)) {
            out.add(Part.CONTACT);
        }
        return out;
    }

    /** The missing parts as a sentence: {@code mailing address; telephone number, email address or web address}. */
    public static String describe(List<Part> missing) {
        return String.join("; ", missing.stream().map(Part::text).toList());
    }

    private static boolean contact(String part) {
        return EMAIL.matcher(part).find() || WEB.matcher(part).find() || phone(part);
    }

    // a telephone number: the run of digits is most of the part ("Tel. +1 416 555 0100"), not a street line's
    private static boolean phone(String part) {
        var m = PHONE.matcher(part);
        return m.find() && m.group().replaceAll("\\D", "").length() >= 7;
    }

    private static List<String> parts(String text) {
        String[] lines = text.strip().split("\\R");
        String[] split = lines.length == 1 ? lines[0].split(",") : lines;
        return Arrays.stream(split).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
