package dev.petrel.mailauth;

import dev.petrel.mail.Domain;
import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The domain of a message's author (RFC 5322 3.6.2 From): the domain DKIM signs for and DMARC aligns with. */
public final class Author {

    private Author() {}

    /**
     * The domain of the one address in the message's one From field; empty when there is no From, several, or
     * one this reading cannot take apart (then nothing is signed).
     */
    public static Optional<Domain> domainOf(byte[] head, byte[] message) {
        List<HeaderField> from = new ArrayList<>(HeaderSection.read(head).all("From"));
        from.addAll(HeaderSection.read(message).all("From"));
        if (from.size() != 1) {
            return Optional.empty();
        }
        String value = withoutComments(from.getFirst().unfoldedValue()).strip();
        int lt = value.lastIndexOf('<');
        int gt = value.lastIndexOf('>');
        String addr = lt >= 0 && gt > lt ? value.substring(lt + 1, gt) : value;
        if (addr.indexOf(',') >= 0) {
            return Optional.empty(); // several authors
        }
        int at = addr.lastIndexOf('@');
        if (at <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Domain.parse(addr.substring(at + 1).strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // RFC 5322 3.2.2: comments in parentheses (not inside quotes) say nothing about the address
    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (depth == 0) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
