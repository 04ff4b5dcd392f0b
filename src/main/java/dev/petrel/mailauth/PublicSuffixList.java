package dev.petrel.mailauth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List (publicsuffix.org), for the organizational domain of DMARC (RFC 7489 3.2). The copy
 * in resources (public_suffix_list.dat, Mozilla Public License 2.0, its VERSION and COMMIT in its header) is the
 * list as Apache HttpClient 5.6.5 ships it.
 */
public final class PublicSuffixList {

    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();

    private PublicSuffixList() {}

    /** The bundled list. */
    public static PublicSuffixList bundled() {
        try (InputStream in = PublicSuffixList.class.getResourceAsStream("public_suffix_list.dat")) {
            if (in == null) {
                throw new IllegalStateException("public_suffix_list.dat is missing from the class path");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PublicSuffixList parse(InputStream in) throws IOException {
        PublicSuffixList list = new PublicSuffixList();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String rule = line.strip();
            int space = rule.indexOf(' ');
            if (space >= 0) {
                rule = rule.substring(0, space);
            }
            if (rule.isEmpty() || rule.startsWith("//")) {
                continue;
            }
            if (rule.startsWith("!")) {
                list.exceptions.add(ascii(rule.substring(1)));
            } else if (rule.startsWith("*.")) {
                list.wildcards.add(ascii(rule.substring(2)));
            } else {
                list.rules.add(ascii(rule));
            }
        }
        return list;
    }

    private static String ascii(String name) {
        return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /**
     * RFC 7489 3.2: the public suffix of the name plus one label; the name itself when it is a public suffix or
     * has no label more.
     */
    public String organizationalDomain(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String[] labels = name.split("\\.");
        int suffixLabels = suffixLength(labels);
        if (labels.length <= suffixLabels) {
            return name;
        }
        return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - suffixLabels - 1, labels.length));
    }

    // the number of labels of the longest matching rule (publicsuffix.org's algorithm; "*" when none matches)
    private int suffixLength(String[] labels) {
        int best = 1;
        for (int i = 0; i < labels.length; i++) {
            String candidate = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length));
            int count = labels.length - i;
            if (exceptions.contains(candidate)) {
                return count - 1; // an exception rule wins, and its suffix is one label shorter
            }
            if (rules.contains(candidate) && count > best) {
                best = count;
            }
            if (i > 0 && wildcards.contains(candidate) && count + 1 > best) {
                best = count + 1;
            }
        }
        return best;
    }
}
