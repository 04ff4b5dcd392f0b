package dev.petrel.bounce;

import dev.petrel.mail.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code [[throttle]]} rules of reply-driven shaping: the operator's (from the file {@code [bounce] rules}
 * names) before those that ship with Petrel in {@code rules.toml}. The first that matches a temporary failure says
 * how long its site is suspended for the egress it came from; a permanent failure matches none.
 */
public final class Throttles {

    private final List<ThrottleRule> rules;

    private Throttles(List<ThrottleRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The operator's rules, tried before the shipped ones. */
    public static Throttles withRules(List<ThrottleRule> operatorRules) {
        List<ThrottleRule> all = new ArrayList<>(operatorRules);
        all.addAll(BounceRules.parseThrottles(Classifier.shippedText()));
        return new Throttles(all);
    }

    /** The rule a deferral matches: its enhanced status code (or none) and its lines joined by spaces. */
    public Optional<ThrottleRule> match(Reply reply) {
        if (!reply.isTransient()) {
            return Optional.empty();
        }
        String text = String.join(" ", reply.lines());
        return rules.stream().filter(r -> r.matches(reply.status(), text)).findFirst();
    }
}
