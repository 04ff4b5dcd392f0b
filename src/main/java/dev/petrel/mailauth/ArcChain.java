package dev.petrel.mailauth;

import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARC Sets of a message (RFC 8617 4.1, 4.2): each instance's ARC-Authentication-Results, ARC-Message-Signature
 * and ARC-Seal, read as they stand, and whether they form a chain at all (5.2 step 3).
 */
final class ArcChain {

    /** RFC 8617 4.2.1: instances run from 1 to at most 50. */
    static final int MAX_INSTANCE = 50;

    static final String AAR = "arc-authentication-results";
    static final String AMS = "arc-message-signature";
    static final String SEAL = "arc-seal";

    // RFC 8617 4.1.1: AAR = "ARC-Authentication-Results:" [CFWS] arc-info, arc-info = instance [CFWS] ";" authres
    private static final Pattern AAR_INSTANCE = Pattern.compile("^\\s*i\\s*=\\s*(\\d{1,5})\\s*;");

    /** One instance's three fields, and its seal's tags. */
    record Set(int instance, HeaderField results, HeaderField signature, HeaderField seal,
               Map<String, String> sealTags) {

        /** The seal's cv= (RFC 8617 4.1.3), in lower case; "" when it has none. */
        String cv() {
            return sealTags.getOrDefault("cv", "").toLowerCase(Locale.ROOT);
        }
    }

    private final List<Set> sets;
    private final String broken;
    private final int highestSeen;

    private ArcChain(List<Set> sets, String broken, int highestSeen) {
        this.sets = sets;
        this.broken = broken;
        this.highestSeen = highestSeen;
    }

    /** The ARC fields of this header section, sorted into sets. */
    static ArcChain read(HeaderSection section) {
        TreeMap<Integer, HeaderField[]> byInstance = new TreeMap<>();
        String problem = null;
        for (HeaderField f : section.fields()) {
            int kind = List.of(AAR, AMS, SEAL).indexOf(f.lowerName());
            if (kind < 0) {
                continue;
            }
            int i = instanceOf(f, kind);
            if (i < 1 || i > MAX_INSTANCE) {
                problem = "an ARC field has no usable instance (i=1 to 50)";
                continue;
            }
            HeaderField[] set = byInstance.computeIfAbsent(i, n -> new HeaderField[3]);
            if (set[kind] != null) {
                problem = "two " + f.name() + " fields of instance " + i;
            }
            set[kind] = f;
        }
        int seen = byInstance.isEmpty() ? 0 : byInstance.lastKey();
        if (problem != null) {
            return new ArcChain(List.of(), problem, seen);
        }
        return sets(byInstance, seen);
    }

    // RFC 8617 5.2 step 3: exactly one field of each kind per set, and instances 1..N without a gap
    private static ArcChain sets(Map<Integer, HeaderField[]> byInstance, int seen) {
        List<Set> out = new ArrayList<>();
        for (Map.Entry<Integer, HeaderField[]> e : byInstance.entrySet()) {
            int i = e.getKey();
            HeaderField[] f = e.getValue();
            String problem = i != out.size() + 1 ? "ARC instance " + (out.size() + 1) + " is missing"
                    : f[0] == null || f[1] == null || f[2] == null ? "ARC set " + i + " is incomplete" : null;
            Map<String, String> tags = null;
            try {
                tags = problem == null ? Tags.parse(f[2].value()) : null;
            } catch (IllegalArgumentException ex) {
                problem = "ARC-Seal i=" + i + ": " + ex.getMessage();
            }
            if (tags != null && tags.containsKey("h")) {
                // RFC 8617 4.1.3: an ARC-Seal has no h= tag
                problem = "ARC-Seal i=" + i + " has an h= tag";
            }
            if (problem != null) {
                return new ArcChain(List.of(), problem, seen);
            }
            out.add(new Set(i, f[0], f[1], f[2], tags));
        }
        return new ArcChain(List.copyOf(out), null, seen);
    }

    private static int instanceOf(HeaderField f, int kind) {
        try {
            if (kind == 0) {
                Matcher m = AAR_INSTANCE.matcher(f.unfoldedValue());
                return m.find() ? Integer.parseInt(m.group(1)) : -1;
            }
            String i = Tags.parse(f.value()).get("i");
            return i != null && i.matches("\\d{1,5}") ? Integer.parseInt(i) : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    boolean empty() {
        return highestSeen == 0 && broken == null;
    }

    /** The highest instance any ARC field names, in a chain or not. */
    int highestSeen() {
        return highestSeen;
    }

    /** The seals' cv= of the highest instance any ARC-Seal names, or "" (RFC 8617 5.1 step 1 looks at it). */
    static String newestCv(HeaderSection section) {
        String cv = "";
        int top = 0;
        for (HeaderField f : section.all("ARC-Seal")) {
            try {
                Map<String, String> t = Tags.parse(f.value());
                int i = Integer.parseInt(t.getOrDefault("i", "0").strip());
                if (i >= top) {
                    top = i;
                    cv = t.getOrDefault("cv", "").toLowerCase(Locale.ROOT);
                }
            } catch (IllegalArgumentException e) {
                // not a seal anyone could read: it names no status
            }
        }
        return cv;
    }

    /** Why the fields form no chain, or null when they do (or there are none). */
    String broken() {
        return broken;
    }

    /** N, the highest instance; 0 without sets. */
    int highest() {
        return sets.size();
    }

    Set set(int instance) {
        return sets.get(instance - 1);
    }

    /**
     * RFC 8617 5.1.1: the start of what an ARC-Seal signs: the sets 1 to {@code upTo} in increasing order, each as
     * AAR, AMS and AS in relaxed form (RFC 6376 3.4.2). The seal's own set follows, by {@link #sealInput}.
     */
    StringBuilder setsUpTo(int upTo) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= upTo; i++) {
            Set s = set(i);
            out.append(Canonical.relaxedHeader(s.results())).append(Canonical.relaxedHeader(s.signature()))
                    .append(Canonical.relaxedHeader(s.seal()));
        }
        return out;
    }

    /** What the ARC-Seal of {@code instance} signed: the sets before it, then its own, the seal without b= nor CRLF. */
    byte[] sealInput(int instance) {
        Set s = set(instance);
        StringBuilder out = setsUpTo(instance - 1);
        out.append(Canonical.relaxedHeader(s.results())).append(Canonical.relaxedHeader(s.signature()));
        String own = Canonical.relaxedHeader(DkimVerifier.withoutB(s.seal()));
        out.append(own, 0, own.length() - 2);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
