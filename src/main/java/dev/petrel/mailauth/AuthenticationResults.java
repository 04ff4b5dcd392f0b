package dev.petrel.mailauth;

import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The Authentication-Results header field (RFC 8601) that Petrel adds to mail it receives. */
public final class AuthenticationResults {

    private static final String NAME = "authentication-results";

    private AuthenticationResults() {}

    /** The field for these DKIM results, with {@code authservId} (our host name) as its authserv-id. */
    public static byte[] header(String authservId, List<DkimResult> dkim) {
        return header(authservId, new InboundChecks.Results(dkim, null));
    }

    /** The field for these results: SPF first (when checked), then each DKIM signature. */
    public static byte[] header(String authservId, InboundChecks.Results results) {
        List<String> methods = new java.util.ArrayList<>();
        if (results.spf() != null) {
            methods.add(results.spf().resinfo());
        }
        // RFC 8601 2.7.1: "none", the message was not signed
        results.dkim().forEach(d -> methods.add(d.resinfo()));
        if (results.dkim().isEmpty()) {
            methods.add("dkim=none");
        }
        if (results.dmarc() != null) {
            methods.add(results.dmarc().resinfo());
        }
        if (results.arc() != null) {
            methods.add(results.arc().resinfo());
        }
        StringBuilder out = new StringBuilder("Authentication-Results: ").append(authservId).append(';');
        if (methods.size() == 1) {
            out.append(' ').append(methods.getFirst());
        } else {
            for (int i = 0; i < methods.size(); i++) {
                out.append(i == 0 ? "" : ";").append("\r\n\t").append(methods.get(i));
            }
        }
        return out.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** " (text)": an RFC 5322 comment in a result, its own parentheses and backslashes made harmless. */
    static String comment(String text) {
        return " (" + text.replace("(", "[").replace(")", "]").replace("\\", "/") + ")";
    }

    /**
     * RFC 8601 5: the message without the Authentication-Results fields that claim {@code authservId}, which only
     * we may write; the same array when it has none.
     */
    public static byte[] withoutOurs(byte[] message, String authservId) {
        HeaderSection section = HeaderSection.read(message);
        boolean any = section.fields().stream().anyMatch(f -> claims(f, authservId));
        if (!any) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        for (HeaderField f : section.fields()) {
            if (!claims(f, authservId)) {
                out.writeBytes(f.raw());
                out.writeBytes(new byte[] {'\r', '\n'});
            }
        }
        // the empty line and the body, as they were
        int blank = section.end();
        out.write(message, blank, message.length - blank);
        return out.toByteArray();
    }

    /** The topmost Authentication-Results field that claims {@code authservId}: the one we added on arrival. */
    public static java.util.Optional<HeaderField> first(HeaderSection section, String authservId) {
        return section.fields().stream().filter(f -> claims(f, authservId)).findFirst();
    }

    private static boolean claims(HeaderField f, String authservId) {
        if (!f.lowerName().equals(NAME)) {
            return false;
        }
        // authserv-id [ CFWS authres-version ] ";" ...: the first word
        String value = f.value().replaceAll("\\([^)]*\\)", " ").strip();
        int end = 0;
        while (end < value.length() && value.charAt(end) != ';' && !Character.isWhitespace(value.charAt(end))) {
            end++;
        }
        return value.substring(0, end).toLowerCase(Locale.ROOT).equals(authservId.toLowerCase(Locale.ROOT));
    }
}
