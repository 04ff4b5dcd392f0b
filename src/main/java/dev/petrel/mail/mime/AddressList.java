package dev.petrel.mail.mime;

import dev.petrel.mail.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an address list as RFC 5322 3.4 writes it: {@code "Doe, Jane" <jane@a.example>, bob@b.example (Bob),
 * Team: x@c.example, y@c.example;}. Display names may be atoms, quoted strings (with quoted pairs, RFC 5322
 * 3.2.4) or raw Unicode, as senders type them; comments (RFC 5322 3.2.2) are skipped; a group gives its members
 * (an empty group, {@code undisclosed-recipients:;}, gives none); empty list elements are skipped (RFC 5322 4.4,
 * obs-addr-list). Encoded words in names are taken literally, not decoded.
 */
public final class AddressList {

    // RFC 5322 3.2.3: specials, the characters that end an atom
    private static final String SPECIALS = "()<>[]:;@\\,.\"";

    private final String text;
    private int pos;

    private AddressList(String text) {
        this.text = text;
    }

    /** The mailboxes of {@code text}, in order; an empty or blank text gives none. */
    public static List<Mailbox> parse(String text) {
        AddressList parser = new AddressList(text == null ? "" : text);
        return parser.list();
    }

    /** As {@link #parse(String)}, refusing with {@code field} named in the error (for the send API). */
    public static List<Mailbox> parse(String field, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field, e.getMessage());
        }
    }

    private List<Mailbox> list() {
        List<Mailbox> out = new ArrayList<>();
        while (true) {
            skipCfws();
            if (atEnd()) {
                return out;
            }
            if (peek() != ',') {
                address(out, false);
                skipCfws();
            }
            if (!atEnd() && peek() != ',') {
                throw error("expected \",\"");
            }
            pos++;
        }
    }

    // RFC 5322 3.4: address = mailbox / group; mailbox = name-addr / addr-spec
    private void address(List<Mailbox> out, boolean inGroup) {
        List<Word> words = new ArrayList<>();
        while (true) {
            int before = pos;
            skipCfws();
            boolean spaced = pos > before;
            if (atEnd() || peek() == ',' || (inGroup && peek() == ';')) {
                out.add(Mailbox.of(addrSpec(words)));
                return;
            }
            char c = peek();
            if (c == '<') {
                out.add(new Mailbox(angleAddr(), phrase(words)));
                return;
            }
            if (c == ':' && !inGroup && !words.isEmpty()) {
                group(out);
                return;
            }
            words.add(word(spaced));
        }
    }

    // RFC 5322 3.4: group = display-name ":" [group-list] ";" [CFWS]
    private void group(List<Mailbox> out) {
        pos++;
        while (true) {
            skipCfws();
            if (atEnd()) {
                throw error("group without \";\"");
            }
            if (peek() == ';') {
                pos++;
                return;
            }
            if (peek() == ',') {
                pos++;
                continue;
            }
            address(out, true);
        }
    }

    // RFC 5322 3.4: angle-addr = [CFWS] "<" addr-spec ">" [CFWS]
    private Address angleAddr() {
        int close = text.indexOf('>', pos);
        if (close < 0) {
            throw error("\"<\" without \">\"");
        }
        String inner = text.substring(pos + 1, close).strip();
        pos = close + 1;
        return address(inner);
    }

    private Address addrSpec(List<Word> words) {
        if (words.isEmpty()) {
            throw error("expected an address");
        }
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0 && !isDelimiter(words.get(i - 1)) && !isDelimiter(words.get(i))) {
                throw error("a name without <> around its address");
            }
            raw.append(words.get(i).raw());
        }
        return address(raw.toString());
    }

    private Address address(String raw) {
        if (!raw.contains("@")) {
            throw new IllegalArgumentException("not an address: \"" + raw + "\"");
        }
        Address address;
        try {
            // international domains are taken and held as A-labels (RFC 5890); local parts stay ASCII
            address = Address.parse(raw, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an address: \"" + raw + "\" (" + e.getMessage() + ")");
        }
        if (address.needsUtf8()) {
            throw new IllegalArgumentException(
                    "not an address: \"" + raw + "\" (a non-ASCII local part needs SMTPUTF8)");
        }
        return address;
    }

    private static boolean isDelimiter(Word w) {
        return w.raw().equals("@") || w.raw().equals(".");
    }

    // RFC 5322 3.2.5: phrase = 1*word, and "." among them (RFC 5322 4.1 obs-phrase); words that had white space
    // between them are joined by one space
    private static String phrase(List<Word> words) {
        StringBuilder name = new StringBuilder();
        for (Word w : words) {
            if (w.spaced() && !name.isEmpty()) {
                name.append(' ');
            }
            name.append(w.value());
        }
        return name.toString();
    }

    private record Word(String raw, String value, boolean spaced) {
    }

    private Word word(boolean spaced) {
        char c = peek();
        if (c == '"') {
            return quotedString(spaced);
        }
        if (c == '@' || c == '.') {
            pos++;
            return new Word(String.valueOf(c), String.valueOf(c), spaced);
        }
        if (c == '[') {
            int close = text.indexOf(']', pos);
            if (close < 0) {
                throw error("\"[\" without \"]\"");
            }
            String literal = text.substring(pos, close + 1);
            pos = close + 1;
            return new Word(literal, literal, spaced);
        }
        int start = pos;
        while (!atEnd() && SPECIALS.indexOf(peek()) < 0 && !isWsp(peek()) && peek() >= 32) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected \"" + c + "\"");
        }
        String atom = text.substring(start, pos);
        return new Word(atom, atom, spaced);
    }

    // RFC 5322 3.2.4: quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]
    private Word quotedString(boolean spaced) {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (!atEnd() && peek() != '"') {
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                c = text.charAt(pos++);
            }
            if (c == '\r' || c == '\n') {
                continue; // unfolding (RFC 5322 3.2.2)
            }
            value.append(c);
        }
        if (atEnd()) {
            throw error("unterminated quoted string");
        }
        pos++;
        return new Word(text.substring(start, pos), value.toString(), spaced);
    }

    // RFC 5322 3.2.2: CFWS, white space and (nested) comments
    private void skipCfws() {
        while (!atEnd()) {
            char c = peek();
            if (isWsp(c) || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '(') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        int depth = 0;
        do {
            if (atEnd()) {
                throw error("unterminated comment");
            }
            char c = text.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        } while (depth > 0);
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at position " + pos);
    }
}
