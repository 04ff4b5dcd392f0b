package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.HeaderSection;
import dev.petrel.server.StdioSession;
import dev.petrel.smtp.ServerSession;
import dev.petrel.smtp.SessionSettings;
import java.security.SecureRandom;
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

    @Option(names = "-F", paramLabel = "FULLNAME", description = "The sender's full name, for a From header the"
            + " message lacks")
    String fullName;

    @Option(names = "-bs", description = "Speak SMTP on standard input and output (each message is queued as"
            + " with sendmail)")
    boolean smtp;

    @Option(names = "-bm", description = "Read the message from standard input (the default)")
    boolean readMessage;

    // Postfix accepts and ignores these: delivery is always in the background, errors always come as mail
    @Option(names = {"-odb", "-odi", "-odq", "-odd", "-oem", "-oee", "-oep", "-oeq", "-oew", "-om", "-n", "-U"},
            description = "Accepted and ignored, as Postfix does: Petrel always delivers in the background and"
                    + " reports errors by mail")
    boolean[] ignored;

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
        if (smtp) {
            ServerSession session = new ServerSession(new SessionSettings(c.hostname(), false, false, false,
                    c.limits().messageSize(), c.limits().recipients(), c.limits().errors()), new LocalSmtpHooks(c),
                    new SecureRandom(), "127.0.0.1");
            new StdioSession(session, System.in, System.out, c.limits().lineLength()).run();
            return 0;
        }
        byte[] content = LineEndings.normalize(readMessage(System.in, ignoreDots));
        if (isBlank(content)) {
            // Postfix's sendmail would queue a message of headers it made up; nothing to send is more likely a
            // mistake of the calling program, and it should learn of it
            System.err.println("petrel: no message on standard input; nothing queued");
            return 1;
        }
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
            System.err.println(fromHeaders ? "petrel: no recipient addresses found in the message's To, Cc or Bcc"
                    + " headers" : "petrel: no recipients (give them as arguments, or use -t)");
            return 1;
        }
        if (fullName != null) {
            content = withFrom(content, fullName, path);
        }
        String answer = QueueAccess.perform(c, new ControlRequest.Enqueue(ControlRequest.localEnvelope(path, to), content));
        if (answer.startsWith("OK")) {
            return 0;
        }
        return QueueAccess.report(answer);
    }

    private static boolean isBlank(byte[] content) {
        for (byte b : content) {
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** -F: a message without a From header gets one with the full name (RFC 5322 3.4, quoted as needed). */
    static byte[] withFrom(byte[] content, String fullName, ReversePath sender) {
        if (HeaderSection.read(content).has("from") || sender.isNull()) {
            return content;
        }
        String name = fullName.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\r\n]", " ");
        byte[] from = ("From: \"" + name + "\" <" + sender + ">\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[from.length + content.length];
        System.arraycopy(from, 0, out, 0, from.length);
        System.arraycopy(content, 0, out, from.length, content.length);
        return out;
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
