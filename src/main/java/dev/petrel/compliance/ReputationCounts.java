package dev.petrel.compliance;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * Where the reputation guard keeps its rolling counts, so that they outlive a restart: per tenant and stream, the
 * steps of its window, and the cursor of the last event they count (events up to it are not counted again).
 */
public interface ReputationCounts {

    /** The counts of one step of a window: from {@code start}, one step long. */
    record Step(Instant start, long recipients, long hardBounces, long complaints) {}

    /** One stream's steps, oldest first. */
    record Stream(TenantId tenant, String stream, List<Step> steps) {
        public Stream {
            steps = List.copyOf(steps);
        }
    }

    /** The stream's steps as last saved, oldest first; none when nothing was saved. */
    List<Step> steps(TenantId tenant, String stream);

    /** The cursor of the last event the saved counts hold (0 when none). */
    long counted();

    /**
     * Replaces the saved steps of each of these streams (a stream that no longer exists keeps none) and notes the
     * cursor they count up to, in one write.
     */
    void save(List<Stream> streams, long counted);
}
