package dev.petrel.mailauth;

import java.util.Locale;

/**
 * What became of a message's Authenticated Received Chain (RFC 8617 5.2): its chain validation status.
 *
 * @param instance N, the highest instance found; 0 when there was none
 * @param oldestPass the lowest instance from which every ARC-Message-Signature up to N still verifies, when an
 *                   older one does not (RFC 8617 5.2 step 5); 0 when all verify or it was not asked
 * @param reason why the chain failed, or null
 */
public record ArcResult(Status status, int instance, int oldestPass, String reason) {

    /** RFC 8617 4.4's cv values, which are also the arc method's results (RFC 8617 10.1). */
    public enum Status {
        NONE, PASS, FAIL;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** By cv= value; null for anything else. */
        static Status of(String cv) {
            for (Status s : values()) {
                if (s.value().equalsIgnoreCase(cv.strip())) {
                    return s;
                }
            }
            return null;
        }
    }

    static final ArcResult NONE = new ArcResult(Status.NONE, 0, 0, null);

    static ArcResult fail(int instance, String reason) {
        return new ArcResult(Status.FAIL, instance, 0, reason);
    }

    /** The method's part of an Authentication-Results header: {@code arc=pass (i=2) header.oldest-pass=2}. */
    public String resinfo() {
        StringBuilder out = new StringBuilder("arc=").append(status.value());
        if (reason != null) {
            out.append(AuthenticationResults.comment(reason));
        } else if (instance > 0) {
            out.append(" (i=").append(instance).append(')');
        }
        if (oldestPass > 0) {
            out.append(" header.oldest-pass=").append(oldestPass);
        }
        return out.toString();
    }
}
