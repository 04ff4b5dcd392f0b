package dev.petrel.web;

import dev.petrel.mail.Address;
import dev.petrel.mail.SendContext;
import dev.petrel.compliance.ConsentStatus;
import dev.petrel.policy.ConsentCheck;
import dev.petrel.policy.SuppressionCheck;
import dev.petrel.tenant.ApiKey;
import dev.petrel.web.SendOutcome.RecipientResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tenant's limits, suppression lists and consents say of a message about to be queued: the step of the
 * send policy after ownership and stream (DESIGN.md, "How a message flows"). {@link Sending} asks it once per
 * message with the recipients still standing; the command line wires the policy's parts to it, one after the other
 * ({@link #then}): the suppression lists ({@link #suppressing}) and the consent ledger ({@link #consenting}) first,
 * so that a refused recipient costs no part of a rate, then the send limits ({@code policy.SendLimits}, through {@code cli.LimitsWiring}). {@link #NONE}
 * admits everything.
 */
@FunctionalInterface
public interface Admission {

    Admission NONE = (key, context, recipients) -> new Verdict.Admitted(Map.of());

    Verdict admit(ApiKey key, SendContext context, List<Address> recipients);

    /** Refuses each recipient the message's tenant suppresses on its stream, with reason {@code suppressed}. */
    static Admission suppressing(SuppressionCheck check) {
        return (key, context, recipients) -> {
            Map<Address, RecipientResult.Refused> refused = new LinkedHashMap<>();
            check.admit(context, recipients).forEach((to, text) -> refused.put(to,
                    new RecipientResult.Refused(to.toString(), SendOutcome.Refusal.SUPPRESSED, text)));
            return new Verdict.Admitted(refused);
        };
    }

    /**
     * Refuses each recipient of broadcast mail without consent valid now, with reason {@code no_consent},
     * {@code consent_expired} or {@code consent_withdrawn}.
     */
    static Admission consenting(ConsentCheck check) {
        return (key, context, recipients) -> {
            Map<Address, RecipientResult.Refused> refused = new LinkedHashMap<>();
            check.admit(context, recipients).forEach((to, r) -> refused.put(to, new RecipientResult.Refused(
                    to.toString(), refusal(r.reason()), ConsentCheck.text(r))));
            return new Verdict.Admitted(refused);
        };
    }

    private static SendOutcome.Refusal refusal(ConsentStatus.Reason reason) {
        return switch (reason) {
            case NO_CONSENT -> SendOutcome.Refusal.NO_CONSENT;
            case CONSENT_EXPIRED -> SendOutcome.Refusal.CONSENT_EXPIRED;
            case CONSENT_WITHDRAWN -> SendOutcome.Refusal.CONSENT_WITHDRAWN;
        };
    }

    /**
     * This step, then {@code next} with the recipients this one let through (none left: {@code next} is not
     * asked); a message over a limit in either is over it.
     */
    default Admission then(Admission next) {
        return (key, context, recipients) -> switch (admit(key, context, recipients)) {
            case Verdict.Limited l -> l;
            case Verdict.Admitted first -> {
                List<Address> standing = recipients.stream().filter(to -> !first.refused().containsKey(to)).toList();
                if (standing.isEmpty()) {
                    yield first;
                }
                yield switch (next.admit(key, context, standing)) {
                    case Verdict.Limited l -> l;
                    case Verdict.Admitted second -> {
                        Map<Address, RecipientResult.Refused> both = new LinkedHashMap<>(first.refused());
                        both.putAll(second.refused());
                        yield new Verdict.Admitted(both);
                    }
                };
            }
        };
    }

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
