package dev.petrel.compliance;

import java.time.Instant;
import java.util.Locale;

/** What the ledger says of one recipient at one moment, for one kind of mail: {@link ConsentRule} decides it. */
public sealed interface ConsentStatus {

    /** Consent holds, relying on {@code record}; {@code until} is when it runs out, or null for never. */
    record Valid(Consent record, Instant until) implements ConsentStatus {}

    /** Not valid; {@link #reason} says why in the APIs' words, {@link #describe} in a person's. */
    sealed interface Refused extends ConsentStatus {
        Reason reason();

        String describe();
    }

    /** No consent on record (or only one that does not cover this mail). */
    record None(String describe) implements Refused {
        @Override
        public Reason reason() {
            return Reason.NO_CONSENT;
        }
    }

    /** Every consent on record has run out; {@code last} ran out latest, at {@code expired}. */
    record Expired(Consent last, Instant expired) implements Refused {
        @Override
        public Reason reason() {
            return Reason.CONSENT_EXPIRED;
        }

        @Override
        public String describe() {
            return last.kind().text() + " consent of " + last.at() + " expired on " + expired;
        }
    }

    /** The recipient withdrew consent by {@code withdrawal}, and gave none since. */
    record Withdrawn(Consent withdrawal) implements Refused {
        @Override
        public Reason reason() {
            return Reason.CONSENT_WITHDRAWN;
        }

        @Override
        public String describe() {
            return "consent withdrawn on " + withdrawal.at()
                    + (withdrawal.source().equals("unsubscribe") ? " (unsubscribed)" : "");
        }
    }

    /** Why a recipient is refused, as the APIs and events write it. */
    enum Reason {
        NO_CONSENT, CONSENT_EXPIRED, CONSENT_WITHDRAWN;

        /** {@code no_consent}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
