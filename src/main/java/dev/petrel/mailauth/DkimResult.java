package dev.petrel.mailauth;

/**
 * What became of one DKIM signature (RFC 6376 6.1, with RFC 8601 2.7.1's result names).
 *
 * @param domain the d= tag, or null when the signature could not be read that far
 * @param selector the s= tag, or null
 * @param b the first characters of the b= tag, which tell signatures of one domain apart (RFC 6008)
 * @param reason why it did not pass, or null
 * @param bodyLength the l= tag when the signature covers only part of the body, else -1
 */
public record DkimResult(Outcome outcome, String domain, String selector, String b, String reason, long bodyLength) {

    public enum Outcome {
        PASS, FAIL, NEUTRAL, TEMPERROR, PERMERROR;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The method's part of an Authentication-Results header: {@code dkim=pass header.d=... header.s=... header.b=...}. */
    public String resinfo() {
        StringBuilder out = new StringBuilder("dkim=").append(outcome.value());
        if (reason != null) {
            out.append(AuthenticationResults.comment(reason));
        } else if (bodyLength >= 0) {
            // RFC 6376 8.2: a signature over part of the body says little about the rest
            out.append(" (signed body length ").append(bodyLength).append(')');
        }
        if (domain != null) {
            out.append(" header.d=").append(domain);
        }
        if (selector != null) {
            out.append(" header.s=").append(selector);
        }
        if (b != null) {
            out.append(" header.b=\"").append(b).append('"');
        }
        return out.toString();
    }
}
