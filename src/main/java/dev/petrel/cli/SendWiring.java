package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.event.FeedReader;
import dev.petrel.event.MessageLogWriter;
import dev.petrel.event.SoleConsumer;
import dev.petrel.event.SoleConsumers;
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
 * keys, and the message log with its reader of the event feed (cursor {@code messages}, on one node at a time).
 * Closed before the queue, so the reader's last batch and cursor reach their stores.
 */
final class SendWiring implements AutoCloseable {

    // how often the message log's writer saves its cursor
    private static final Duration SAVE_EVERY = Duration.ofSeconds(1);
    // how often a node whose writer runs elsewhere looks at that cursor, waiting for it to catch up
    private static final Duration ELSEWHERE_POLL = Duration.ofMillis(100);

    private final SoleConsumer<FeedReader> messages;
    private final HttpSurface.SendParts parts;

    private SendWiring(SoleConsumer<FeedReader> messages, HttpSurface.SendParts parts) {
        this.messages = messages;
        this.parts = parts;
    }

    /**
     * @param keys what a key may send (the same rules as SMTP with a key)
     * @param admission the tenants' limits (and later suppressions and consents), asked once per message
     * @param random draws MIME boundaries and Message-IDs (they need to be unique, not secret)
     * @param consumers runs the message log's writer on one node at a time
     */
    static SendWiring start(Config config, Stores stores, QueueStore queue, Intake intake, KeySending keys,
                            RelayPolicy policy, Admission admission, Clock clock, RandomGenerator random,
                            SoleConsumers consumers) throws IOException {
        Config.Limits limits = config.limits();
        // a recipient is checked as SMTP checks it at RCPT from a client authenticated with the key
        Sending.RecipientCheck recipients = (key, to) -> policy.rcptTo(
                new Client(InetAddress.getLoopbackAddress(), key.identity()), Recipient.of(to));
        Sending sending = new Sending(intake, keys, recipients, admission,
                new Composer(clock, random, Optional.empty()),
                new Sending.Limits(limits.messageSize(), limits.recipients()));
        Config.Http http = config.http();
        SoleConsumer<FeedReader> messages = consumers.reader(MessageLogWriter.CURSOR, queue,
                new MessageLogWriter(stores.messageLog(), clock, http.messageRetention()), SAVE_EVERY);
        return new SendWiring(messages, new HttpSurface.SendParts(sending, http.batchMessages(),
                stores.idempotencyKeys(), http.idempotencyWindow(), stores.messageLog(),
                timeout -> caughtUp(messages, queue, timeout)));
    }

    /**
     * Waits until the message log holds every event written so far: the writer's progress when it runs here, its
     * saved cursor (about {@link #SAVE_EVERY} behind) when it runs on another node.
     */
    private static boolean caughtUp(SoleConsumer<FeedReader> messages, QueueStore queue, Duration timeout)
            throws InterruptedException {
        long target = queue.last();
        Optional<FeedReader> here = messages.running();
        if (here.isPresent()) {
            return here.get().awaitCursor(target, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (queue.load(MessageLogWriter.CURSOR) < target) {
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(ELSEWHERE_POLL.toMillis());
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    HttpSurface.SendParts parts() {
        return parts;
    }

    @Override
    public void close() throws IOException {
        messages.close();
    }
}
