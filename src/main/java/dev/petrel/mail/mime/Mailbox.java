package dev.petrel.mail.mime;

import dev.petrel.mail.Address;

/**
 * A mailbox as a header shows it (RFC 5322 3.4): an address and an optional display name.
 *
 * @param address the address, with an ASCII local part (a UTF-8 local part would need SMTPUTF8, RFC 6531)
 * @param displayName the name to show, empty when there is none; any Unicode text without control characters
 */
public record Mailbox(Address address, String displayName) {

    public Mailbox {
        if (address == null) {
            throw new IllegalArgumentException("no address");
        }
        // white space around a phrase, and the length of a run of it, carry no meaning (RFC 5322 3.2.2, 3.2.5;
        // readers collapse it, in encoded words too), so names are kept stripped with single spaces
        displayName = displayName == null ? "" : collapseSpace(WhiteSpace.strip(displayName));
    }

    public static Mailbox of(Address address) {
        return new Mailbox(address, "");
    }

    /** Parses one mailbox, as {@code Name <a@b.example>} or {@code a@b.example} (RFC 5322 3.4). */
    public static Mailbox parse(String text) {
        java.util.List<Mailbox> all = AddressList.parse(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one mailbox, found " + all.size());
        }
        return all.get(0);
    }

    /** As {@link #parse(String)}, refusing with {@code field} named in the error (Postmark's From, for one). */
    public static Mailbox parse(String field, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field, e.getMessage());
        }
    }

    // each run of white space (two or more characters) becomes one space; the text is stripped already
    private static String collapseSpace(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean run = WhiteSpace.is(c)
                    && ((i > 0 && WhiteSpace.is(s.charAt(i - 1))) || WhiteSpace.is(s.charAt(i + 1)));
            if (!run) {
                out.append(c);
            } else if (!WhiteSpace.is(s.charAt(i - 1))) {
                out.append(' ');
            }
        }
        return out.toString();
    }
}
