package dev.petrel.smtp.client;

import dev.petrel.mail.Reply;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The service extensions a server listed in its EHLO reply (RFC 5321 4.1.1.1: one keyword per line after the
 * first, with optional parameters). After HELO, and after a TLS handshake until the next EHLO, there are none.
 *
 * @param keywords the upper-cased keywords
 * @param maxSize the SIZE parameter (RFC 1870 4); 0 when SIZE is absent or declares no fixed limit
 */
public record Extensions(Set<String> keywords, long maxSize) {

    public static final Extensions NONE = new Extensions(Set.of(), 0);

    public Extensions {
        keywords = Set.copyOf(keywords);
    }

    public static Extensions parse(Reply ehlo) {
        Set<String> keywords = new LinkedHashSet<>();
        long maxSize = 0;
        List<String> lines = ehlo.lines();
        for (String line : lines.subList(1, lines.size())) {
            String[] words = line.strip().split(" +");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            if (keyword.isEmpty()) {
                continue;
            }
            keywords.add(keyword);
            if (keyword.equals("SIZE") && words.length > 1) {
                maxSize = parseSize(words[1]);
            }
        }
        return new Extensions(keywords, maxSize);
    }

    // RFC 1870 4: size-param ::= [1*DIGIT]; anything else is taken as no declared limit
    private static long parseSize(String word) {
        if (!word.matches("[0-9]{1,18}")) {
            return 0;
        }
        return Long.parseLong(word);
    }

    public boolean has(String keyword) {
        return keywords.contains(keyword);
    }

    /** RFC 2920. */
    public boolean pipelining() {
        return has("PIPELINING");
    }

    /** RFC 1870. */
    public boolean size() {
        return has("SIZE");
    }

    /** RFC 6152. */
    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    /** RFC 6531. */
    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    /** RFC 3461. */
    public boolean dsn() {
        return has("DSN");
    }

    /** RFC 3030. */
    public boolean chunking() {
        return has("CHUNKING");
    }

    /** RFC 3207. */
    public boolean startTls() {
        return has("STARTTLS");
    }

    /** RFC 8689. */
    public boolean requireTls() {
        return has("REQUIRETLS");
    }

    /** RFC 2034. */
    public boolean enhancedStatusCodes() {
        return has("ENHANCEDSTATUSCODES");
    }
}
