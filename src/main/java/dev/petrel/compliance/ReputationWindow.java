package dev.petrel.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream's rolling counts over the guard's window, in steps of a 24th of it: a step starts at its first event
 * (or at a resume), and a step that started a window ago or more is dropped, so the window moves a step at a time.
 * Events from before {@code since} (the stream's last resume) are not counted: a resume starts a new judgement.
 */
final class ReputationWindow {

    static final int STEPS = 24;

    private final Duration length;
    private final Duration step;
    private final List<ReputationCounts.Step> steps;
    private Instant since;

    ReputationWindow(Duration length, List<ReputationCounts.Step> saved, Instant since) {
        this.length = length;
        this.step = length.dividedBy(STEPS).isZero() ? Duration.ofMillis(1) : length.dividedBy(STEPS);
        this.steps = new ArrayList<>(saved);
        this.since = since == null ? Instant.EPOCH : since;
        this.steps.removeIf(s -> s.start().isBefore(this.since));
    }

    /** Forgets every count before {@code at}, when it is later than the last such start; true when it did. */
    boolean restart(Instant at) {
        if (at == null || !at.isAfter(since)) {
            return false;
        }
        since = at;
        steps.clear();
        return true;
    }

    /** Counts one event of the stream at {@code time} (one from before the last resume is not counted). */
    boolean add(Instant time, long recipients, long hardBounces, long complaints) {
        if (time.isBefore(since)) {
            return false;
        }
        ReputationCounts.Step last = steps.isEmpty() ? null : steps.getLast();
        if (last != null && time.isBefore(last.start().plus(step))) {
            steps.set(steps.size() - 1, new ReputationCounts.Step(last.start(), last.recipients() + recipients,
                    last.hardBounces() + hardBounces, last.complaints() + complaints));
        } else {
            steps.add(new ReputationCounts.Step(time, recipients, hardBounces, complaints));
        }
        return true;
    }

    /** Drops the steps that started a window before {@code now} or earlier; true when one was dropped. */
    boolean expire(Instant now) {
        Instant oldest = now.minus(length);
        return steps.removeIf(s -> !s.start().isAfter(oldest));
    }

    /** The counts of the window: recipients, hard bounces, complaints. */
    ReputationCounts.Step totals() {
        long recipients = 0;
        long hard = 0;
        long complaints = 0;
        for (ReputationCounts.Step s : steps) {
            recipients += s.recipients();
            hard += s.hardBounces();
            complaints += s.complaints();
        }
        return new ReputationCounts.Step(steps.isEmpty() ? since : steps.getFirst().start(), recipients, hard,
                complaints);
    }

    List<ReputationCounts.Step> steps() {
        return List.copyOf(steps);
    }
}
