package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.event.EventSink;
import dev.petrel.queue.Arrivals;
import dev.petrel.intake.AuthenticationPolicy;
import dev.petrel.intake.Intake;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueActions;
import dev.petrel.queue.QueueLockedException;
import dev.petrel.report.DailyReports;
import dev.petrel.store.Stores;
import dev.petrel.store.postgres.PgQueueStore;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Changes the queue from the command line: through the running server's control socket when a server owns
 * the queue, or directly when none does.
 */
final class QueueAccess {

    private QueueAccess() {}

    /** Carries out the request and returns the answer line ("OK ..." or "ERR ..."). */
    static String perform(Config config, ControlRequest request) throws IOException {
        if (Queues.servedHere(config)) {
            return viaServer(config, request);
        }
        QueueStore queue;
        try {
            queue = Queues.open(config, Clock.systemUTC(), new SecureRandom());
        } catch (QueueLockedException e) {
            return viaServer(config, request);
        }
        try (queue; Stores stores = Petrel.stores(config)) {
            SecureRandom random = new SecureRandom();
            Intake intake = new Intake(queue, queue::append, Clock.systemUTC(), random, config.hostname(),
                    config.limits().hops(), new StoredDkimKeys(stores.dkimKeys()), null,
                    AuthenticationPolicy.ACCEPT_ALL, config.hold(), Arrivals.NONE);
            if (request instanceof ControlRequest.Flush && queue instanceof PgQueueStore shared) {
                // the nodes elsewhere hear it by NOTIFY
                return "OK every queued message is due now (" + shared.cluster().flush() + ")";
            }
            if (request instanceof ControlRequest.Flush) {
                return "OK no server is running; queued mail is tried when one starts";
            }
            Clock clock = Clock.systemUTC();
            DailyReports reports = DailyReports.unscheduled(ReportWiring.reports(config, stores, intake, clock,
                    System.out::println), clock);
            return ControlServer.execute(request, intake, new QueueActions(queue, QueueActions.Delivery.NONE,
                    Clock.systemUTC()), reports);
        }
    }

    private static String viaServer(Config config, ControlRequest request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(config.controlSocket()));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            request.write(out);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            String answer = in.readLine();
            if (answer == null) {
                throw new IOException("the server closed the control connection without an answer");
            }
            return answer;
        } catch (IOException e) {
            throw new IOException("the queue is owned by a running server, but its control socket "
                    + config.controlSocket() + " does not answer: " + e.getMessage(), e);
        }
    }

    /** Prints the answer and turns it into an exit status. */
    static int report(String answer) {
        if (answer.startsWith("OK")) {
            System.out.println(answer.substring(2).strip());
            return 0;
        }
        System.err.println("petrel: " + answer.replaceFirst("^ERR ?", ""));
        return 1;
    }
}
