package dev.petrel.smtp;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The ESMTP parameters of MAIL and RCPT (RFC 5321 4.1.2 esmtp-param), parsed and validated. */
final class Parameters {

    private Parameters() {}

    /**
     * MAIL FROM parameters: SIZE (RFC 1870), BODY (RFC 1652), SMTPUTF8 (RFC 6531), RET and ENVID (RFC 3461),
     * REQUIRETLS (RFC 8689).
     */
    record Mail(long size, Envelope.BodyType body, boolean smtpUtf8, Envelope.Ret ret, String envid,
                boolean requireTls) {}

    /** RCPT TO parameters: NOTIFY and ORCPT (RFC 3461). */
    record Rcpt(Set<Recipient.Notify> notifyOn, String orcpt) {}

    /** @param tls the session runs under TLS, which REQUIRETLS needs */
    static Mail parseMail(String text, boolean tls) throws Refusal {
        Map<String, String> params = split(text);
        long size = -1;
        Envelope.BodyType body = Envelope.BodyType.SEVEN_BIT;
        boolean utf8 = false;
        Envelope.Ret ret = Envelope.Ret.NONE;
        String envid = null;
        boolean requireTls = false;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> size = parseSize(value);
                case "BODY" -> body = parseBody(value);
                case "SMTPUTF8" -> utf8 = requireNoValue("SMTPUTF8", value);
                case "RET" -> ret = parseRet(value);
                case "ENVID" -> envid = parseXtext("ENVID", value, 100);
                case "REQUIRETLS" -> requireTls = parseRequireTls(value, tls);
                // RFC 4954 5: AUTH=<mailbox> may be ignored by a server that does not trust the client
                case "AUTH" -> requireValue("AUTH", value);
                default -> throw unsupported(p.getKey());
            }
        }
        return new Mail(size, body, utf8, ret, envid, requireTls);
    }

    /**
     * RFC 8689 2: REQUIRETLS takes no value, and is offered only once the session is under TLS; a client that asks
     * for it in clear text is told that encryption is needed (530 as RFC 3207 4 answers before STARTTLS, with
     * X.7.10 "Encryption Needed").
     */
    private static boolean parseRequireTls(String value, boolean tls) throws Refusal {
        requireNoValue("REQUIRETLS", value);
        if (!tls) {
            throw new Refusal(530, EnhancedStatus.ENCRYPTION_NEEDED, "REQUIRETLS needs TLS: issue STARTTLS first");
        }
        return true;
    }

    static Rcpt parseRcpt(String text) throws Refusal {
        Map<String, String> params = split(text);
        Set<Recipient.Notify> notify = Set.of();
        String orcpt = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "NOTIFY" -> notify = parseNotify(p.getValue());
                case "ORCPT" -> orcpt = parseOrcpt(p.getValue());
                default -> throw unsupported(p.getKey());
            }
        }
        return new Rcpt(notify, orcpt);
    }

    // RFC 5321 4.1.2: esmtp-keyword ["=" esmtp-value], separated by single spaces
    private static Map<String, String> split(String text) throws Refusal {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String word : text.strip().split(" +")) {
            int eq = word.indexOf('=');
            String key = (eq < 0 ? word : word.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : word.substring(eq + 1);
            if (!key.matches("[A-Z0-9][A-Z0-9-]*")) {
                throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad parameter syntax: " + printable(word));
            }
            if (value != null && !value.chars().allMatch(c -> c >= 33 && c <= 126 && c != '=')) {
                throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad parameter value for " + key);
            }
            if (out.containsKey(key)) {
                throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Duplicate parameter " + key);
            }
            out.put(key, value);
        }
        return out;
    }

    private static Refusal unsupported(String key) {
        // RFC 5321 4.1.1.11: 555 MAIL FROM/RCPT TO parameters not recognized or not implemented
        return new Refusal(555, EnhancedStatus.INVALID_ARGUMENTS, "Unsupported parameter " + key);
    }

    private static String requireValue(String key, String value) throws Refusal {
        if (value == null || value.isEmpty()) {
            throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, key + " needs a value");
        }
        return value;
    }

    private static boolean requireNoValue(String key, String value) throws Refusal {
        if (value != null) {
            throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, key + " takes no value");
        }
        return true;
    }

    // RFC 1870 6: size-value ::= 1*20DIGIT
    private static long parseSize(String value) throws Refusal {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad SIZE value");
        }
        return Long.parseLong(value);
    }

    private static Envelope.BodyType parseBody(String value) throws Refusal {
        String v = requireValue("BODY", value).toUpperCase(Locale.ROOT);
        return switch (v) {
            case "7BIT" -> Envelope.BodyType.SEVEN_BIT;
            case "8BITMIME" -> Envelope.BodyType.EIGHT_BIT_MIME;
            // RFC 3030 3: BINARYMIME is not advertised, so it is not accepted
            default -> throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Unsupported BODY type " + printable(v));
        };
    }

    // RFC 3461 4.3: ret-value = "FULL" / "HDRS"
    private static Envelope.Ret parseRet(String value) throws Refusal {
        String v = requireValue("RET", value).toUpperCase(Locale.ROOT);
        return switch (v) {
            case "FULL" -> Envelope.Ret.FULL;
            case "HDRS" -> Envelope.Ret.HDRS;
            default -> throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "RET is FULL or HDRS");
        };
    }

    // RFC 3461 4.1: NOTIFY=NEVER or a comma list of SUCCESS, FAILURE, DELAY
    private static Set<Recipient.Notify> parseNotify(String value) throws Refusal {
        EnumSet<Recipient.Notify> out = EnumSet.noneOf(Recipient.Notify.class);
        for (String word : requireValue("NOTIFY", value).toUpperCase(Locale.ROOT).split(",", -1)) {
            try {
                if (!out.add(Recipient.Notify.valueOf(word))) {
                    throw new IllegalArgumentException(word);
                }
            } catch (IllegalArgumentException e) {
                throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad NOTIFY value");
            }
        }
        if (out.contains(Recipient.Notify.NEVER) && out.size() > 1) {
            throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "NOTIFY=NEVER stands alone");
        }
        return out;
    }

    // RFC 3461 4.2: orcpt-parameter = "ORCPT=" addr-type ";" xtext
    private static String parseOrcpt(String value) throws Refusal {
        String v = requireValue("ORCPT", value);
        int semi = v.indexOf(';');
        if (semi <= 0 || !v.substring(0, semi).matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad ORCPT value");
        }
        parseXtext("ORCPT", v.substring(semi + 1), 500);
        return v;
    }

    // RFC 3461 4: xtext = *( xchar / hexchar ), hexchar = "+" 2(%x30-39 / %x41-46)
    private static String parseXtext(String key, String value, int maxLength) throws Refusal {
        String v = requireValue(key, value);
        if (v.length() > maxLength) {
            throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, key + " too long");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+') {
                if (!isUpperHex(v, i + 1) || !isUpperHex(v, i + 2)) {
                    throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad xtext in " + key);
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                throw new Refusal(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad xtext in " + key);
            }
        }
        return v;
    }

    private static boolean isUpperHex(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    // the client's words quoted in a reply: short, and without control characters, which reply text may not carry
    static String printable(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }
}
