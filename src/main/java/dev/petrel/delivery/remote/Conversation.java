package dev.petrel.delivery.remote;

import dev.petrel.net.ClientChannel;
import dev.petrel.smtp.client.ClientPhase;
import dev.petrel.smtp.client.ClientSession;
import dev.petrel.smtp.client.Step;
import dev.petrel.smtp.client.Timeouts;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * Runs a {@link ClientSession} over a {@link ClientChannel} until the session asks for something only the caller can
 * decide: {@link Step.Ready} (the transaction is over), {@link Step.Close} or {@link Step.RetryWithoutTls}. Each
 * read and write is timed by the phase the session is in (RFC 5321 4.5.3.2).
 */
final class Conversation {

    /**
     * Where the session stopped, whether the server said anything on the way (a reused connection may be dead), and
     * why the TLS handshake failed, if it did (null otherwise).
     */
    record Driven(Step end, boolean heard, IOException tlsFailure) {}

    private final ClientChannel channel;
    private final ClientSession session;
    private final Timeouts timeouts;
    private final ClientChannel.TlsUpgrade tls;
    private boolean heard;
    private IOException tlsFailure;

    Conversation(ClientChannel channel, ClientSession session, Timeouts timeouts, ClientChannel.TlsUpgrade tls) {
        this.channel = channel;
        this.session = session;
        this.timeouts = timeouts;
        this.tls = tls;
    }

    Driven run(Step first) {
        Step step = first;
        while (true) {
            switch (step) {
                case Step.Send send -> step = write(send);
                case Step.Read read -> step = readLine();
                case Step.StartTls start -> step = handshake();
                case Step.Ready ready -> {
                    return new Driven(ready, heard, tlsFailure);
                }
                case Step.Close close -> {
                    return new Driven(close, heard, tlsFailure);
                }
                case Step.RetryWithoutTls retry -> {
                    return new Driven(retry, heard, tlsFailure);
                }
            }
        }
    }

    private Step write(Step.Send send) {
        try {
            channel.write(send.bytes(), timeouts.of(send.phase()));
            return new Step.Read();
        } catch (IOException e) {
            return failed(e);
        }
    }

    private Step readLine() {
        try {
            byte[] line = channel.readLine(timeouts.of(session.phase()));
            heard = true;
            return session.onLine(line);
        } catch (IOException e) {
            return failed(e);
        }
    }

    private Step failed(IOException e) {
        return e instanceof SocketTimeoutException ? session.onTimeout() : session.onConnectionLost();
    }

    // RFC 3207 4: after 220 the handshake starts; on failure the connection is unusable
    private Step handshake() {
        try {
            channel.startTls(tls, timeouts.of(ClientPhase.TLS_HANDSHAKE));
            return session.tlsStarted();
        } catch (IOException e) {
            tlsFailure = e;
            return session.tlsFailed();
        }
    }
}
