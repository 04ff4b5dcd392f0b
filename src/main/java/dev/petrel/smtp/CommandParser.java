package dev.petrel.smtp;

import java.util.Locale;

/**
 * Turns a command line (without its CRLF) into a {@link Command}. Verbs are case-insensitive
 * (RFC 5321 2.4). Only the shape of the line is checked here; addresses and parameters are checked by
 * the session, which knows whether SMTPUTF8 is in force.
 */
public final class CommandParser {

    private CommandParser() {}

    public static Command parse(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "EHLO" -> requireDomain(verb, rest, true);
            case "HELO" -> requireDomain(verb, rest, false);
            case "MAIL" -> path(verb, rest, "FROM:");
            case "RCPT" -> path(verb, rest, "TO:");
            case "DATA" -> noArgument(verb, rest, new Command.Data());
            case "BDAT" -> bdat(rest);
            case "RSET" -> noArgument(verb, rest, new Command.Rset());
            // RFC 5321 4.1.1.9: NOOP may have a string argument, which is ignored
            case "NOOP" -> new Command.Noop();
            case "QUIT" -> noArgument(verb, rest, new Command.Quit());
            case "VRFY" -> rest.isBlank() ? new Command.Invalid(verb, "Syntax: VRFY address") : new Command.Vrfy(rest.strip());
            case "EXPN" -> new Command.Expn(rest.strip());
            case "HELP" -> new Command.Help();
            case "STARTTLS" -> noArgument(verb, rest, new Command.StartTls());
            case "AUTH" -> auth(rest);
            // Postfix's smtpd_forbidden_commands: a proxy or browser talking to the wrong port
            case "GET", "POST", "HEAD", "PUT", "CONNECT", "OPTIONS", "DELETE", "USER" -> new Command.ForeignProtocol(verb);
            default -> new Command.Unknown(verb);
        };
    }

    private static Command requireDomain(String verb, String rest, boolean extended) {
        String domain = rest.strip();
        if (domain.isEmpty() || domain.contains(" ")) {
            return new Command.Invalid(verb, "Syntax: " + verb + " hostname");
        }
        return extended ? new Command.Ehlo(domain) : new Command.Helo(domain);
    }

    private static Command noArgument(String verb, String rest, Command command) {
        return rest.isBlank() ? command : new Command.Invalid(verb, "Syntax: " + verb + " takes no argument");
    }

    // RFC 5321 4.1.1.2 and 4.1.1.3: "MAIL FROM:" Reverse-path [SP Mail-parameters]
    private static Command path(String verb, String rest, String keyword) {
        if (!rest.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return new Command.Invalid(verb, "Syntax: " + verb + " " + keyword + "<address>");
        }
        // like Postfix without strict_rfc821_envelopes, tolerate spaces after the colon
        String after = rest.substring(keyword.length()).stripLeading();
        if (!after.startsWith("<")) {
            return new Command.Invalid(verb, "Syntax: " + verb + " " + keyword + "<address>");
        }
        int close = closingBracket(after);
        if (close < 0) {
            return new Command.Invalid(verb, "Syntax: " + verb + " " + keyword + "<address>");
        }
        String pathText = after.substring(1, close);
        String params = after.substring(close + 1);
        if (!params.isEmpty() && !params.startsWith(" ")) {
            return new Command.Invalid(verb, "Syntax: parameters are separated by a space");
        }
        return verb.equals("MAIL") ? new Command.Mail(pathText, params.strip()) : new Command.Rcpt(pathText, params.strip());
    }

    // The ">" that ends the path, skipping quoted strings in the local part.
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    // RFC 3030 2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]
    private static Command bdat(String rest) {
        String[] words = rest.strip().split(" +");
        if (words.length == 0 || words.length > 2 || !words[0].matches("[0-9]{1,18}")) {
            return new Command.Invalid("BDAT", "Syntax: BDAT size [LAST]");
        }
        boolean last = words.length == 2;
        if (last && !words[1].equalsIgnoreCase("LAST")) {
            return new Command.Invalid("BDAT", "Syntax: BDAT size [LAST]");
        }
        return new Command.Bdat(Long.parseLong(words[0]), last);
    }

    // RFC 4954 4: AUTH mechanism [initial-response]
    private static Command auth(String rest) {
        String[] words = rest.strip().split(" +");
        if (words.length == 0 || words[0].isEmpty() || words.length > 2) {
            return new Command.Invalid("AUTH", "Syntax: AUTH mechanism [initial-response]");
        }
        return new Command.Auth(words[0].toUpperCase(Locale.ROOT), words.length == 2 ? words[1] : null);
    }
}
