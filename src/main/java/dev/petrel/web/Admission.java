package dev.petrel.web;

import dev.petrel.mail.Address;
import dev.petrel.mail.SendContext;
import dev.petrel.tenant.ApiKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the tenant's limits, suppression lists and consents say of a message about to be queued: the step of the
 * send policy after ownership and stream (DESIGN.md, "How a message flows"). {@link Sending} asks it once per
 * message with the recipients still standing; the command line wires the policy's parts to it. Until rate limits,
 * suppressions and consents exist, {@link #NONE} admits everything.
 */
@FunctionalInterface
public interface Admission {

    Admission NONE = (key, context, recipients) -> new Verdict.Admitted(Map.of());

    Verdict admit(ApiKey key, SendContext context, List<Address> recipients);

    /** The answer: which recipients are refused, or the whole message is over a limit for now. */
    sealed interface Verdict {
        /** Every recipient not in {@code refused} may be queued; a refused one says why. */
        record Admitted(Map<Address, SendOutcome.RecipientResult.Refused> refused) implements Verdict {
            public Admitted {
                refused = Map.copyOf(refused);
            }
        }

        /** Over a rate or quota: nothing is queued, and the client may try again after {@code retryAfter}. */
        record Limited(String message, Duration retryAfter) implements Verdict {}
    }
}
