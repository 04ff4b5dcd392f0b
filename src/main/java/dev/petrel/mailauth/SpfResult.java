package dev.petrel.mailauth;

import java.util.Locale;

/**
 * The result of an SPF check (RFC 7208 2.6) of one identity.
 *
 * @param identity "mailfrom" or "helo": which identity was checked (RFC 7208 2.4)
 * @param domain the domain checked
 * @param reason a word on how the result came about, or null
 */
public record SpfResult(Outcome outcome, String identity, String domain, String reason) {

    public enum Outcome {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The method's part of an Authentication-Results header (RFC 8601 2.7.2). */
    public String resinfo() {
        StringBuilder out = new StringBuilder("spf=").append(outcome.value());
        if (reason != null) {
            out.append(AuthenticationResults.comment(reason));
        }
        return out.append(" smtp.").append(identity).append('=').append(domain).toString();
    }
}
