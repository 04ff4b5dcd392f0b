package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.event.FeedReader;
import dev.petrel.event.MessageLogWriter;
import dev.petrel.intake.Intake;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.mime.Composer;
import dev.petrel.policy.Client;
import dev.petrel.policy.KeySending;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.queue.QueueStore;
import dev.petrel.store.Stores;
import dev.petrel.web.Admission;
import dev.petrel.web.HttpSurface;
import dev.petrel.web.Sending;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The send API of a running server: the sending operation over the same policy and intake as SMTP, the idempotency
 * keys, and the message log with its reader of the event feed (cursor {@code messages}). Closed before the queue, so
 * the reader's last batch and cursor reach their stores.
 */
final class SendWiring implements AutoCloseable {

    private final FeedReader messages;
    private final HttpSurface.SendParts parts;

    private SendWiring(FeedReader messages, HttpSurface.SendParts parts) {
        this.messages = messages;
        this.parts = parts;
    }

    /**
     * @param keys what a key may send (the same rules as SMTP with a key)
     * @param admission the tenants' limits (and later suppressions and consents), asked once per message
     * @param random draws MIME boundaries and Message-IDs (they need to be unique, not secret)
     */
    static SendWiring start(Config config, Stores stores, QueueStore queue, Intake intake, KeySending keys,
                            RelayPolicy policy, Admission admission, Clock clock, RandomGenerator random)
            throws IOException {
        Config.Limits limits = config.limits();
        // a recipient is checked as SMTP checks it at RCPT from a client authenticated with the key
        Sending.RecipientCheck recipients = (key, to) -> policy.rcptTo(
                new Client(InetAddress.getLoopbackAddress(), key.identity()), Recipient.of(to));
        Sending sending = new Sending(intake, keys, recipients, admission,
                new Composer(clock, random, Optional.empty()),
                new Sending.Limits(limits.messageSize(), limits.recipients()));
        Config.Http http = config.http();
        FeedReader messages = FeedReader.start(MessageLogWriter.CURSOR, queue, queue,
                new MessageLogWriter(stores.messageLog(), clock, http.messageRetention()), Duration.ofSeconds(1));
        return new SendWiring(messages, new HttpSurface.SendParts(sending, http.batchMessages(),
                stores.idempotencyKeys(), http.idempotencyWindow(), stores.messageLog(),
                timeout -> messages.awaitCursor(queue.last(), timeout)));
    }

    HttpSurface.SendParts parts() {
        return parts;
    }

    @Override
    public void close() throws IOException {
        messages.close();
    }
}
