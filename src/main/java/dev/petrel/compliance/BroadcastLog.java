package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.time.Instant;
import java.util.Map;

/**
 * Told by intake of the copies of one broadcast message it has just queued (one per recipient), so that the consent
 * ledger writes down which consent each relied on. Called after the copies are on disk; a failure here is the
 * ledger's to report, never a reason to refuse mail already queued.
 */
@FunctionalInterface
public interface BroadcastLog {

    BroadcastLog NONE = (context, at, copies) -> { };

    void queued(SendContext context, Instant at, Map<QueueId, Address> copies);
}
