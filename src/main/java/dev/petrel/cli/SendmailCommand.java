package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.Address;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.smtp.LineEndings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The sendmail-compatible interface for local programs: the message on standard input, recipients as
 * arguments or, with {@code -t}, from its To, Cc and Bcc headers (Bcc is then removed).
 */
@Command(name = "sendmail", description = "Queue a message from standard input, like sendmail")
final class SendmailCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "-t", description = "Take recipients from the To, Cc and Bcc headers")
    boolean fromHeaders;

    @Option(names = "-f", paramLabel = "SENDER", description = "Envelope sender (default: the login name at the host name)")
    String sender;

    @Option(names = {"-i", "-oi"}, description = "A line with a single dot does not end the message")
    boolean ignoreDots;

    @Parameters(paramLabel = "RECIPIENT", arity = "0..*", converter = Arguments.AddressArg.class)
    List<Address> recipients = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        // the arguments are checked before the message is read
        String from = sender != null ? sender : System.getProperty("user.name") + "@" + c.hostname();
        ReversePath path;
        try {
            path = from.isEmpty() || from.equals("<>") ? ReversePath.NULL : ReversePath.of(Address.of(from));
        } catch (IllegalArgumentException e) {
            throw new Arguments.Invalid("-f SENDER", from, e);
        }
        byte[] content = LineEndings.normalize(readMessage(System.in, ignoreDots));
        List<Recipient> to = new ArrayList<>();
        for (Address r : recipients) {
            to.add(Recipient.of(r));
        }
        if (fromHeaders) {
            HeaderRecipients.Result parsed = HeaderRecipients.extract(content);
            parsed.addresses().forEach(a -> to.add(Recipient.of(a)));
            content = parsed.withoutBcc();
        }
        if (to.isEmpty()) {
            System.err.println("petrel: no recipients (give them as arguments, or use -t)");
            return 1;
        }
        String answer = QueueAccess.perform(c, new ControlRequest.Enqueue(ControlRequest.localEnvelope(path, to), content));
        if (answer.startsWith("OK")) {
            return 0;
        }
        return QueueAccess.report(answer);
    }

    static byte[] readMessage(InputStream in, boolean ignoreDots) throws IOException {
        byte[] all = in.readAllBytes();
        if (ignoreDots) {
            return all;
        }
        // traditional sendmail: a line with a single dot ends the message
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at <= text.length()) {
            int nl = text.indexOf('\n', at);
            String line = (nl < 0 ? text.substring(at) : text.substring(at, nl)).replace("\r", "");
            if (line.equals(".")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(all, 0, at);
                return out.toByteArray();
            }
            if (nl < 0) {
                break;
            }
            at = nl + 1;
        }
        return all;
    }
}
