package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.testing.PrivatePostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: PostgreSQL restarted under load. Two nodes share a private PostgreSQL of this test's own (it is stopped)
 * and take mail continuously, by SMTP and by the HTTP send API, for a domain whose MX is a real receiver (Python's
 * aiosmtpd). PostgreSQL is stopped as an operator restarts it (fast shutdown: sessions cut) and started again a few
 * seconds later, longer than the nodes' lease (so each finds it stood still, and schedules again what it owns): while
 * it is away, SMTP clients hear 451 4.3.0 and API clients 503; the nodes reconnect by themselves
 * (each takes acknowledged mail again, by SMTP and by HTTP, without a restart of its own); and every message a node
 * acknowledged (250, 200) reaches the receiver, counted there by its Message-ID.
 */
class PostgresRestartUnderLoadTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final int NODES = 2;
    private static final Duration LEASE = Duration.ofSeconds(3);
    /** Longer than the lease: each node finds its last heartbeat too old when PostgreSQL is back. */
    private static final Duration OUTAGE = LEASE.plusSeconds(1);
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    /** Acknowledged messages of each kind before the stop, and again after the restart. */
    private static final int PROGRESS = 5;

    @Test
    void whilePostgresqlRestartsClientsHear451And503AndEveryAcknowledgedMessageIsDelivered() throws Exception {
        try (PrivatePostgres postgres = PrivatePostgres.start();
             ClusterNodes nodes = ClusterNodes.create(scratch, postgres.newDatabase(), NODES, LEASE.toSeconds() + "s",
                     "aiosmtpd_sink.py")) {
            nodes.startAll();
            Map<String, Integer> delivered;
            try (ClusterLoad load = ClusterLoad.start(nodes.apiKey, NODES, nodes::ports, 2, 2, 1000, LOAD_LIMIT)) {
                awaitProgress(load, PROGRESS, PROGRESS, "before the stop");
                postgres.stop();
                long stopped = System.nanoTime();
                load.await(WAIT, "a 451 4.3.0 and a 503 while PostgreSQL is away, for longer than the lease", () ->
                        load.smtpTemporary.get() > 0 && load.httpUnavailable.get() > 0
                                && System.nanoTime() - stopped > OUTAGE.toNanos());
                postgres.restart();
                int[] before = {load.acknowledgedBy(0), load.acknowledgedBy(1)};
                awaitProgress(load, load.smtpAcknowledged.get() + PROGRESS, load.httpAcknowledged.get() + PROGRESS,
                        "after the restart");
                load.await(WAIT, "mail acknowledged again by each node", () -> load.acknowledgedBy(0) > before[0]
                        && load.acknowledgedBy(1) > before[1]);
                load.close();
                assertEquals(List.of(), load.unexpected, "nothing but 250, 200, 451 4.3.0 and 503 was answered");
                delivered = load.awaitDelivered(nodes.sinkDir, DELIVERY);
                long twice = delivered.values().stream().filter(n -> n > 1).count();
                System.out.println("PostgresRestartUnderLoadTest: " + load.describe() + "; " + twice
                        + " delivered twice");
                assertTrue(delivered.keySet().containsAll(load.acknowledged.keySet()), "nothing acknowledged is lost");
            }
        }
    }

    private static void awaitProgress(ClusterLoad load, int smtp, int http, String when) throws Exception {
        load.await(WAIT, smtp + " messages acknowledged by SMTP and " + http + " by HTTP " + when, () ->
                load.smtpAcknowledged.get() >= smtp && load.httpAcknowledged.get() >= http);
    }
}
