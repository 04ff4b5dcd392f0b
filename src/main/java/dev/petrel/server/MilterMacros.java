package dev.petrel.server;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The macros a session shows its filters at each stage, the ones Postfix sends by default that filters such as
 * rspamd read: j (this host), _ and {client_addr} at connect; {tls_version} and {cipher} at HELO; i (the queue id
 * the message will have), {mail_addr} and {auth_authen} at MAIL; {rcpt_addr} at RCPT; i again at end of message.
 */
final class MilterMacros {

    private final String hostname;

    MilterMacros(String hostname) {
        this.hostname = hostname;
    }

    Map<String, String> connect(InetAddress client) {
        String address = client.getHostAddress();
        return map("j", hostname, "{daemon_name}", "petrel", "v", "Petrel", "_", "unknown [" + address + "]",
                "{client_addr}", address);
    }

    Map<String, String> helo(String tlsProtocol, String tlsCipher) {
        return map("{tls_version}", tlsProtocol, "{cipher}", tlsCipher);
    }

    Map<String, String> mail(String queueId, String sender, String user) {
        return map("i", queueId, "{mail_addr}", sender, "{auth_authen}", user);
    }

    Map<String, String> rcpt(String recipient) {
        return map("{rcpt_addr}", recipient);
    }

    Map<String, String> endOfMessage(String queueId) {
        return map("i", queueId);
    }

    // name, value, ...: a pair whose value is null is left out
    private static Map<String, String> map(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put(pairs[i], pairs[i + 1]);
            }
        }
        return m;
    }

    /**
     * SMFIR_REPLYCODE's text as a reply: "554 5.7.1 Spam message rejected", lines joined by CRLF each with its
     * code ("550-5.7.1 a\r\n550 5.7.1 b"); without an enhanced status, the class's own (X.7.1 for policy).
     */
    static Reply reply(String text) {
        int code = Integer.parseInt(text.substring(0, 3));
        EnhancedStatus status = null;
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String rest = line.length() > 4 ? line.substring(4) : "";
            String[] words = rest.split(" ", 2);
            if (words[0].matches("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}") && words[0].charAt(0) == text.charAt(0)) {
                status = status == null ? EnhancedStatus.parse(words[0]) : status;
                rest = words.length > 1 ? words[1] : "";
            }
            lines.add(rest.isEmpty() ? "Command rejected" : rest);
        }
        return new Reply(code, status != null ? status : new EnhancedStatus(code / 100, 7, 1), lines);
    }
}
