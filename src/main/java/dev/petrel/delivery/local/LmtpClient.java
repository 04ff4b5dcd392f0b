package dev.petrel.delivery.local;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import dev.petrel.net.ClientChannel;
import dev.petrel.net.Deadlines;
import dev.petrel.smtp.client.ClientSession;
import dev.petrel.smtp.client.ClientSettings;
import dev.petrel.smtp.client.Step;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * Hands one transaction to an LMTP server (RFC 2033), such as Dovecot's, and reads its reply for each recipient.
 * One connection per transaction: LMTP servers are local and cheap to reach. No TLS: the server is on this machine
 * or a trusted network.
 */
final class LmtpClient {

    // RFC 3463 3.5: X.4.1 No answer from host
    private static final EnhancedStatus NO_ANSWER = new EnhancedStatus(4, 4, 1);

    private final ClientSettings settings;
    private final Timeouts timeouts;
    // one checker for the deadlines of all LMTP connections; it runs only while one is open
    private final Deadlines deadlines;

    LmtpClient(String heloName, Timeouts timeouts) {
        this.settings = ClientSettings.of(heloName, TlsPolicy.NONE).asLmtp();
        this.timeouts = timeouts;
        this.deadlines = new Deadlines(Deadlines.tickFor(timeouts.connect(), timeouts.greeting(), timeouts.ehlo(),
                timeouts.mail(), timeouts.rcpt(), timeouts.dataInit(), timeouts.dataBlock(), timeouts.finalDot()));
    }

    List<RecipientOutcome> deliver(LmtpTarget target, Transaction transaction) {
        ClientChannel connection;
        try {
            connection = ClientChannel.open(target.address(), timeouts.connect(), deadlines);
        } catch (IOException e) {
            Reply noAnswer = Reply.of(421, NO_ANSWER, "No answer from LMTP server " + target.relay() + ": "
                    + e.getMessage());
            return transaction.recipients().stream()
                    .map(r -> (RecipientOutcome) new RecipientOutcome.Deferred(r, noAnswer)).toList();
        }
        try (connection) {
            ClientSession session = new ClientSession(settings, transaction);
            Step step = session.start();
            while (true) {
                switch (step) {
                    case Step.Send send -> step = write(connection, session, send);
                    case Step.Read read -> step = read(connection, session);
                    case Step.Ready ready -> {
                        // RFC 5321 4.1.1.10: end politely; the outcomes are known already
                        step = session.quit();
                        List<RecipientOutcome> outcomes = ready.outcomes();
                        drain(connection, session, step);
                        return outcomes;
                    }
                    case Step.Close close -> {
                        return close.outcomes();
                    }
                    case Step.StartTls start -> throw new IllegalStateException("no TLS with LMTP");
                    case Step.RetryWithoutTls retry -> throw new IllegalStateException("no TLS with LMTP");
                }
            }
        }
    }

    private Step write(ClientChannel connection, ClientSession session, Step.Send send) {
        try {
            connection.write(send.bytes(), timeouts.of(send.phase()));
            return new Step.Read();
        } catch (IOException e) {
            return failed(session, e);
        }
    }

    private Step read(ClientChannel connection, ClientSession session) {
        try {
            return session.onLine(connection.readLine(timeouts.of(session.phase())));
        } catch (IOException e) {
            return failed(session, e);
        }
    }

    private static Step failed(ClientSession session, IOException e) {
        return e instanceof SocketTimeoutException ? session.onTimeout() : session.onConnectionLost();
    }

    // QUIT and its reply; what happens to them changes nothing
    private void drain(ClientChannel connection, ClientSession session, Step step) {
        while (step instanceof Step.Send || step instanceof Step.Read) {
            step = step instanceof Step.Send send ? write(connection, session, send) : read(connection, session);
        }
    }
}
