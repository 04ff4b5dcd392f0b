package dev.petrel.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A scripted server for one {@link ClientSession}: {@code server(...)} says reply lines, {@code client(...)}
 * checks what the client wrote last, and the outcome methods check how the session ended.
 */
final class Dialogue {

    static final ClientSettings SETTINGS = ClientSettings.of("client.test", TlsPolicy.OPPORTUNISTIC);
    static final byte[] CONTENT = "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII);

    final ClientSession session;
    Step last;

    Dialogue(ClientSettings settings, Transaction transaction) {
        session = new ClientSession(settings, transaction);
        last = session.start();
        assertEquals(ClientPhase.GREETING, session.phase());
    }

    static Dialogue with(ClientSettings settings, Transaction transaction) {
        return new Dialogue(settings, transaction);
    }

    static Dialogue with(Transaction transaction) {
        return new Dialogue(SETTINGS, transaction);
    }

    /** The session after greeting and EHLO with the given keywords. */
    static Dialogue afterEhlo(Transaction transaction, String... keywords) {
        return with(SETTINGS.withTls(TlsPolicy.NONE), transaction).server("220 mx.remote.test ESMTP")
                .client("EHLO client.test").server(ehlo(keywords));
    }

    static String[] ehlo(String... keywords) {
        List<String> lines = new ArrayList<>();
        lines.add("mx.remote.test greets client.test");
        lines.addAll(List.of(keywords));
        String[] out = new String[lines.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = "250" + (i == out.length - 1 ? " " : "-") + lines.get(i);
        }
        return out;
    }

    static Envelope envelope(String sender, String... recipients) {
        List<Recipient> list = new ArrayList<>();
        for (String r : recipients) {
            list.add(Recipient.of(Address.of(r)));
        }
        ReversePath path = sender.isEmpty() ? ReversePath.NULL : ReversePath.of(Address.of(sender));
        return new Envelope(path, list, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null,
                "local", null);
    }

    static Transaction transaction(String... recipients) {
        return Transaction.of(envelope("sender@petrel.test", recipients), CONTENT);
    }

    static Transaction transaction(Envelope envelope, byte[] content) {
        return Transaction.of(envelope, content);
    }

    static Recipient recipient(String address, Set<Recipient.Notify> notify, String orcpt) {
        return new Recipient(Address.of(address), notify, orcpt);
    }

    /** The server sends these lines, one read at a time. */
    Dialogue server(String... lines) {
        for (String line : lines) {
            assertTrue(last instanceof Step.Send || last instanceof Step.Read, () -> "the client is not reading: " + last);
            last = session.onLine(line);
        }
        return this;
    }

    /** The client wrote these command lines, in one write. */
    Dialogue client(String... commands) {
        StringBuilder text = new StringBuilder();
        for (String command : commands) {
            text.append(command).append("\r\n");
        }
        return clientRaw(text.toString());
    }

    /** The client wrote exactly this. */
    Dialogue clientRaw(String text) {
        Step.Send send = assertInstanceOf(Step.Send.class, last, () -> "expected a write of " + text);
        assertEquals(text, send.text());
        return this;
    }

    Dialogue phase(ClientPhase phase) {
        assertEquals(phase, session.phase());
        return this;
    }

    Dialogue reading() {
        assertInstanceOf(Step.Read.class, last);
        return this;
    }

    List<RecipientOutcome> ready() {
        Step.Ready ready = assertInstanceOf(Step.Ready.class, last, () -> "expected the end of a transaction");
        assertEquals(ClientPhase.READY, session.phase());
        return ready.outcomes();
    }

    Step.Close closed() {
        Step.Close close = assertInstanceOf(Step.Close.class, last, () -> "expected the session to close");
        assertEquals(ClientPhase.CLOSED, session.phase());
        return close;
    }

    Dialogue then(Step step) {
        last = step;
        return this;
    }
}
