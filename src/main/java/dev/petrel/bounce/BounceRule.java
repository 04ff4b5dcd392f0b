package dev.petrel.bounce;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.EnhancedStatus;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a rules file: the class a failure gets when its enhanced status code is one of {@code statuses} (any,
 * when there are none) and its text holds a match of one of {@code texts} (any text, when there are none). Texts are
 * regular expressions found anywhere in the text, without regard to the case of ASCII letters; a rule has statuses,
 * texts or both.
 */
public final class BounceRule {

    private final BounceClass bounceClass;
    private final List<StatusPattern> statuses;
    private final List<String> texts;
    private final List<TextPattern> compiled;

    public BounceRule(BounceClass bounceClass, List<StatusPattern> statuses, List<String> texts) {
        this.bounceClass = Objects.requireNonNull(bounceClass);
        this.statuses = List.copyOf(statuses);
        this.texts = List.copyOf(texts);
        if (this.statuses.isEmpty() && this.texts.isEmpty()) {
            throw new IllegalArgumentException("a rule needs a status, a text or both");
        }
        this.compiled = this.texts.stream().map(TextPattern::compile).toList();
    }

    public BounceClass bounceClass() {
        return bounceClass;
    }

    public List<StatusPattern> statuses() {
        return statuses;
    }

    public List<String> texts() {
        return texts;
    }

    /** True when the status (null: none known) and the text both fit. */
    public boolean matches(EnhancedStatus status, String text) {
        return matches(status, text, TextPattern.fold(text));
    }

    // folded: the text as TextPattern.fold makes it, once for every rule tried
    boolean matches(EnhancedStatus status, String text, String folded) {
        if (!statuses.isEmpty() && statuses.stream().noneMatch(s -> s.matches(status))) {
            return false;
        }
        return compiled.isEmpty() || compiled.stream().anyMatch(p -> p.foundIn(text, folded));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BounceRule r && r.bounceClass == bounceClass && r.statuses.equals(statuses)
                && r.texts.equals(texts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bounceClass, statuses, texts);
    }

    @Override
    public String toString() {
        return bounceClass.label() + " status=" + statuses + " text=" + texts;
    }
}
