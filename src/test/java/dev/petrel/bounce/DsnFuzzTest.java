package dev.petrel.bounce;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Jazzer fuzz test of DSN building (RFC 3464) from what a remote server said and what the client sent. The input's
 * lines: the reply code, the ORCPT and ENVID parameters, then the remote server's reply text, a line each.
 * Inbound DSNs and ARF reports are fuzzed by {@link ReportFuzzTest}; this is the other direction: a
 * stranger's words going into a message Petrel sends. {@code bin/test} runs it on its seed inputs
 * (src/test/resources/dev/petrel/bounce/DsnFuzzTestInputs/). Correct means: a DSN whose every line ends in CRLF
 * and has at most 998 octets (RFC 5322 2.1.1), never an exception.
 */
class DsnFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void dsnsQuotingAnyRemoteReplyAreWellFormedMessages(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\r?\n", -1);
        int code = lines[0].matches("[45][0-9][0-9]") ? Integer.parseInt(lines[0]) : 550;
        List<String> text = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            text.add(lines[i].replace("\r", ""));
        }
        if (text.isEmpty()) {
            text.add("");
        }
        Reply reply = new Reply(code, null, text);
        Recipient recipient;
        try {
            recipient = Fixtures.rcpt("bob@example.org", Set.of(), lines.length > 1 ? smtpValue(lines[1]) : null);
        } catch (IllegalArgumentException e) {
            recipient = Fixtures.rcpt("bob@example.org");
        }
        String envid = lines.length > 2 ? smtpValue(lines[2]) : null;
        OriginalMessage original;
        try {
            original = Fixtures.message(Fixtures.envelope("alice@sender.test", dev.petrel.mail.Envelope.Ret.HDRS, envid,
                    recipient));
        } catch (IllegalArgumentException e) {
            original = Fixtures.message(Fixtures.envelope("alice@sender.test", dev.petrel.mail.Envelope.Ret.HDRS, null,
                    recipient));
        }
        EnhancedStatus status = code >= 500 ? EnhancedStatus.BAD_DESTINATION_MAILBOX : EnhancedStatus.MAIL_SYSTEM_TRANSIENT;
        RecipientReport report = code >= 500
                ? RecipientReport.failed(recipient, status, "mx.example.org", Diagnostic.smtp(reply), Fixtures.ATTEMPT)
                : RecipientReport.delayed(recipient, status, "mx.example.org", Diagnostic.smtp(reply), Fixtures.ATTEMPT,
                        Fixtures.GIVE_UP);
        Optional<Dsn> dsn = Fixtures.builder().build(original, List.of(report));
        if (dsn.isEmpty()) {
            throw new AssertionError("no DSN for a failure with the default NOTIFY");
        }
        requireWellFormed(dsn.get().content());
    }

    // ORCPT and ENVID as the SMTP server lets them in (RFC 5321 4.1.2 esmtp-value, smtp.Parameters): printable
    // ASCII without "=", else not given at all
    private static String smtpValue(String line) {
        return line.matches("[\\x21-\\x3c\\x3e-\\x7e]{1,100}") ? line : null;
    }

    private static void requireWellFormed(byte[] content) {
        int lineStart = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n' && (i == 0 || content[i - 1] != '\r')) {
                throw new AssertionError("bare LF at " + i);
            }
            if (content[i] == '\r' && (i + 1 >= content.length || content[i + 1] != '\n')) {
                throw new AssertionError("bare CR at " + i);
            }
            if (content[i] == '\n') {
                if (i - 1 - lineStart > 998) {
                    throw new AssertionError("a line of " + (i - 1 - lineStart) + " octets: "
                            + new String(content, lineStart, 80, StandardCharsets.UTF_8));
                }
                lineStart = i + 1;
            }
        }
    }
}
