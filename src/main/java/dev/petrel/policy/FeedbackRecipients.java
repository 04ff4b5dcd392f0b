package dev.petrel.policy;

import dev.petrel.mail.Address;

/**
 * The addresses that take feedback from receivers on the mx listener: the bounce domain's VERP addresses and
 * the complaints addresses. A bounce address whose HMAC does not hold is refused, so that nobody can fake a
 * bounce or a complaint about someone else's mail.
 */
public interface FeedbackRecipients {

    FeedbackRecipients NONE = new FeedbackRecipients() {
        @Override
        public boolean isFeedbackAddress(Address to) {
            return false;
        }

        @Override
        public boolean accepts(Address to) {
            return false;
        }
    };

    /** On the bounce domain, or a complaints address (valid or not). */
    boolean isFeedbackAddress(Address to);

    /** A complaints address, or a bounce address with a valid HMAC. */
    boolean accepts(Address to);
}
