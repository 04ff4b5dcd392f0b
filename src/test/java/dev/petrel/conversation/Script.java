package dev.petrel.conversation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One conversation script, parsed: the role it talks to, the server set-up it needs and the steps of the
 * conversation. The format is described in {@link ConversationTest}.
 *
 * @param name role/behaviour, as the test is named
 * @param purpose the first comment line: the rule the script checks
 */
record Script(String name, String purpose, Role role, boolean loopbackOnly, boolean memoryOnly, Setup setup,
              List<Step> steps) {

    enum Role { MX, SUBMISSION, SUBMISSIONS }

    /**
     * How the server is prepared.
     *
     * @param limits keys of the configuration's [limits] table and their TOML values
     * @param timeouts keys of the [timeouts] table and their durations ("300ms")
     */
    record Setup(Map<String, String> users, List<String> localDomains, List<String> sendingDomains,
                 List<String> relayNetworks, Map<String, String> limits, Map<String, String> timeouts) {}

    /** One line of the conversation or one check after it; {@code line} is where it is in the file. */
    sealed interface Step {
        int line();

        /** C: and C!: bytes the client sends; consecutive ones go out in one write. */
        record Send(int line, byte[] bytes) implements Step {}

        /** S: (prefix or exact), S~ (regular expression), S* (last line of a multi-line reply). */
        record Expect(int line, Match match, boolean lastOfReply, String source) implements Step {}

        /** starttls: the TLS handshake, after the server's 220 to STARTTLS was read. */
        record StartTls(int line) implements Step {}

        /** closed: the server has closed the connection, with no reply left unread. */
        record Closed(int line) implements Step {}

        /** idle: the client sends nothing until the server's timeout for the phase has passed. */
        record Idle(int line) implements Step {}

        /** reconnect: the client closes its connection and opens a new one (a new session in memory). */
        record Reconnect(int line) implements Step {}

        /** queue ...: a check of what the conversation queued. */
        record QueueCheck(int line, String what, String argument) implements Step {}
    }

    /** How an expected reply line is compared. */
    sealed interface Match {
        boolean matches(String line);

        record Prefix(String prefix) implements Match {
            public boolean matches(String line) {
                return line.startsWith(prefix);
            }
        }

        record Exact(String text) implements Match {
            public boolean matches(String line) {
                return line.equals(text);
            }
        }

        record Regex(Pattern pattern) implements Match {
            public boolean matches(String line) {
                return pattern.matcher(line).matches();
            }
        }
    }

    private static final Pattern MACRO = Pattern.compile("\\{(plain|base64|repeat) ([^}]*)\\}");

    static Script load(Path root, Path file) throws IOException {
        String relative = root.relativize(file).toString().replace('\\', '/');
        String name = relative.substring(0, relative.length() - ".smtp".length());
        return parse(name, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Script parse(String name, List<String> lines) {
        if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
            throw new IllegalArgumentException(name + ": the first line must be a comment saying what the script checks");
        }
        Parser p = new Parser(name);
        for (int i = 0; i < lines.size(); i++) {
            p.line(i + 1, lines.get(i));
        }
        if (p.role == null) {
            throw new IllegalArgumentException(name + ": no role line");
        }
        if (p.steps.isEmpty()) {
            throw new IllegalArgumentException(name + ": no conversation");
        }
        Setup setup = new Setup(p.users, p.localDomains, p.sendingDomains, p.relayNetworks, p.limits, p.timeouts);
        return new Script(name, lines.getFirst().substring(2), p.role, p.loopbackOnly, p.memoryOnly, setup, p.steps);
    }

    /** Reads a script line by line. */
    private static final class Parser {
        final String name;
        Role role;
        boolean loopbackOnly;
        boolean memoryOnly;
        final Map<String, String> users = new LinkedHashMap<>();
        final List<String> localDomains = new ArrayList<>();
        final List<String> sendingDomains = new ArrayList<>();
        final List<String> relayNetworks = new ArrayList<>();
        final Map<String, String> limits = new LinkedHashMap<>();
        final Map<String, String> timeouts = new LinkedHashMap<>();
        final List<Step> steps = new ArrayList<>();

        Parser(String name) {
            this.name = name;
        }

        void line(int number, String text) {
            if (text.isBlank() || text.startsWith("#")) {
                return;
            }
            try {
                if (text.length() >= 2 && "SC".indexOf(text.charAt(0)) >= 0 && ":~*!".indexOf(text.charAt(1)) >= 0) {
                    directive(number, text);
                } else {
                    keyword(number, text.strip());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ".smtp:" + number + ": " + e.getMessage(), e);
            }
        }

        private void directive(int number, String text) {
            String kind = text.substring(0, 2);
            // one space after the directive; everything after it is significant, trailing spaces included
            String rest = text.length() > 2 && text.charAt(2) == ' ' ? text.substring(3) : text.substring(2);
            switch (kind) {
                case "S:" -> steps.add(new Step.Expect(number, textMatch(rest), false, text));
                case "S*" -> steps.add(new Step.Expect(number, textMatch(rest), true, text));
                case "S~" -> steps.add(new Step.Expect(number, new Match.Regex(Pattern.compile(rest)), false, text));
                case "C:" -> steps.add(new Step.Send(number, (expandMacros(rest) + "\r\n").getBytes(StandardCharsets.UTF_8)));
                case "C!" -> steps.add(new Step.Send(number, unescape(expandMacros(rest))));
                default -> throw new IllegalArgumentException("unknown directive " + kind);
            }
        }

        private void keyword(int number, String text) {
            String[] w = text.split("\\s+", 3);
            switch (w[0]) {
                case "role" -> role = Role.valueOf(arg(w, 1).toUpperCase(Locale.ROOT));
                case "loopback-only" -> loopbackOnly = true;
                case "memory-only" -> memoryOnly = true;
                case "user" -> users.put(arg(w, 1), arg(w, 2));
                case "domain" -> domain(w);
                case "relay_networks" -> relayNetworks.add(arg(w, 1));
                case "limit" -> limits.put(arg(w, 1), tomlValue(arg(w, 2)));
                case "timeout" -> timeouts.put(arg(w, 1), "\"" + arg(w, 2) + "\"");
                case "starttls" -> steps.add(new Step.StartTls(number));
                case "closed" -> steps.add(new Step.Closed(number));
                case "idle" -> steps.add(new Step.Idle(number));
                case "reconnect" -> steps.add(new Step.Reconnect(number));
                case "queue" -> steps.add(queueCheck(number, w));
                default -> throw new IllegalArgumentException("unknown line: " + text);
            }
        }

        private void domain(String[] w) {
            String domain = arg(w, 1);
            if (w.length > 2 && w[2].equals("local")) {
                localDomains.add(domain);
            } else if (w.length == 2) {
                sendingDomains.add(domain);
            } else {
                throw new IllegalArgumentException("domain NAME [local]");
            }
        }

        private static Step queueCheck(int number, String[] w) {
            String what = arg(w, 1);
            String argument = w.length > 2 ? w[2] : "";
            switch (what) {
                case "contains", "lacks" -> {
                    if (argument.length() < 2 || !argument.startsWith("\"") || !argument.endsWith("\"")) {
                        throw new IllegalArgumentException("queue " + what + " \"text\"");
                    }
                    argument = new String(unescape(argument.substring(1, argument.length() - 1)), StandardCharsets.UTF_8);
                }
                case "count", "sender", "recipients", "requiretls" -> {
                    // checked when run
                }
                default -> throw new IllegalArgumentException("unknown queue check " + what);
            }
            return new Step.QueueCheck(number, what, argument);
        }

        private static String arg(String[] words, int i) {
            if (words.length <= i) {
                throw new IllegalArgumentException("missing argument to " + words[0]);
            }
            return words[i];
        }

        private static String tomlValue(String v) {
            return v.matches("[0-9]+") ? v : "\"" + v + "\"";
        }
    }

    private static Match textMatch(String text) {
        return text.endsWith("*") ? new Match.Prefix(text.substring(0, text.length() - 1)) : new Match.Exact(text);
    }

    /** {plain USER PASSWORD}, {base64 TEXT}, {repeat N TEXT}: see {@link ConversationTest}. */
    static String expandMacros(String text) {
        Matcher m = MACRO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String arg = m.group(2);
            String value = switch (m.group(1)) {
                case "plain" -> {
                    String[] userPassword = arg.split(" ", 2);
                    yield base64("\0" + userPassword[0] + "\0" + userPassword[1]);
                }
                case "base64" -> base64(arg);
                case "repeat" -> {
                    String[] countText = arg.split(" ", 2);
                    yield countText[1].repeat(Integer.parseInt(countText[0]));
                }
                default -> throw new IllegalStateException(m.group(1));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The escapes of C! lines: \r \n \t \\ \xNN; other characters are sent as UTF-8. */
    static byte[] unescape(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            int c = text.codePointAt(i);
            if (c != '\\') {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new IllegalArgumentException("a backslash at the end of a line");
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    if (i + 3 > text.length()) {
                        throw new IllegalArgumentException("\\x needs two hex digits");
                    }
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }
}
