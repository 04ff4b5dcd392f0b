package dev.petrel.bounce;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a failure its {@link BounceClass} from its enhanced status code (RFC 3463 and the IANA registry of enhanced
 * status codes) and its text, as KumoMTA's bounce classifier does: the first rule that matches decides. The
 * operator's rules come first, then the rules that ship with Petrel ({@code rules.toml} beside this class): the
 * texts of the large providers and the blocklists, then a table of the registry's codes. A failure no rule matches
 * is undetermined. The same rules serve remote replies now, and inbound DSNs and complaints later (a status code and
 * a text are all it takes).
 */
public final class Classifier {

    private static final String SHIPPED = "rules.toml";

    private final List<BounceRule> rules;

    private Classifier(List<BounceRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The shipped rules alone. */
    public static Classifier shipped() {
        return withRules(List.of());
    }

    /** The operator's rules, tried before the shipped ones. */
    public static Classifier withRules(List<BounceRule> operatorRules) {
        List<BounceRule> all = new ArrayList<>(operatorRules);
        all.addAll(shippedRules());
        return new Classifier(all);
    }

    /** The rules that ship with Petrel, in order. */
    public static List<BounceRule> shippedRules() {
        try {
            return BounceRules.parse(shippedText());
        } catch (BounceRules.RulesException e) {
            throw new IllegalStateException("the shipped bounce rules: " + e.getMessage(), e);
        }
    }

    /** The rules file that ships with Petrel, {@code [[rule]]} and {@code [[throttle]]} tables. */
    static String shippedText() {
        try (InputStream in = Classifier.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped bounce rules are missing from the jar: " + SHIPPED);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the shipped bounce rules", e);
        }
    }

    /**
     * The class of a failure reported with this enhanced status code (null: none known) and this text (the reply's
     * lines, a DSN's diagnostic).
     */
    public BounceClass classify(EnhancedStatus status, String text) {
        String t = text == null ? "" : text;
        String folded = TextPattern.fold(t);
        for (BounceRule rule : rules) {
            if (rule.matches(status, t, folded)) {
                return rule.bounceClass();
            }
        }
        return BounceClass.UNDETERMINED;
    }

    /**
     * The class of a failed reply: its enhanced status code, or X.0.0 of its reply code's class when it has none
     * (RFC 3463 2: "Other undefined status"), and its lines joined by spaces.
     */
    public BounceClass classify(Reply reply) {
        EnhancedStatus status = reply.status() != null ? reply.status() : undefined(reply.code());
        return classify(status, String.join(" ", reply.lines()));
    }

    private static EnhancedStatus undefined(int code) {
        int statusClass = code / 100;
        return statusClass == 2 || statusClass == 4 || statusClass == 5 ? new EnhancedStatus(statusClass, 0, 0) : null;
    }
}
