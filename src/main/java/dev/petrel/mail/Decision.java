package dev.petrel.mail;

/**
 * The answer of a policy step: go on, refuse for good, or refuse for now. The protocol asks, the policy
 * answers, and neither knows the other: both speak this type.
 */
public sealed interface Decision {

    record Accept() implements Decision {}

    /** A permanent refusal: the reply is a 5xx. */
    record Reject(Reply reply) implements Decision {
        public Reject {
            if (!reply.isPermanent()) {
                throw new IllegalArgumentException("a rejection is a 5xx reply: " + reply);
            }
        }
    }

    /** A temporary refusal: the reply is a 4xx. */
    record Defer(Reply reply) implements Decision {
        public Defer {
            if (!reply.isTransient()) {
                throw new IllegalArgumentException("a deferral is a 4xx reply: " + reply);
            }
        }
    }

    Decision ACCEPT = new Accept();

    static Decision reject(int code, EnhancedStatus status, String text) {
        return new Reject(Reply.of(code, status, text));
    }

    static Decision defer(int code, EnhancedStatus status, String text) {
        return new Defer(Reply.of(code, status, text));
    }
}
