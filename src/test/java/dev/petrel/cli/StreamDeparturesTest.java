package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.config.Config;
import dev.petrel.delivery.Departure;
import dev.petrel.delivery.Egress;
import dev.petrel.mail.Reply;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each stream's settings become what delivery does with its mail, and how long an answer is kept. */
class StreamDeparturesTest {

    private static final TenantId ACME = new TenantId("acme");

    private final HandClock clock = new HandClock();
    private final Map<String, Stream> stored = new HashMap<>();
    private int lookups;
    private boolean down;

    // the store, in memory: counts its lookups and fails when down
    private final Streams streams = new Streams() {
        @Override
        public Optional<Stream> stream(TenantId tenant, String name) {
            lookups++;
            if (down) {
                throw new IllegalStateException("database unreachable");
            }
            return Optional.ofNullable(stored.get(tenant + "/" + name));
        }

        @Override
        public List<Stream> streams(TenantId tenant) {
            return List.copyOf(stored.values());
        }

        @Override
        public boolean add(Stream stream) {
            return stored.putIfAbsent(stream.tenant() + "/" + stream.name(), stream) == null;
        }

        @Override
        public boolean setPaused(TenantId tenant, String name, boolean paused) {
            Stream s = stored.get(tenant + "/" + name);
            stored.put(tenant + "/" + name, new Stream(s.tenant(), s.name(), s.kind(), s.source(), s.ehlo(),
                    s.egress(), paused, s.sandbox(), 0, 0, s.created()));
            return true;
        }

        @Override
        public boolean pause(TenantId tenant, String name, Stream.Pause pause) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean resume(TenantId tenant, String name, java.time.Instant at) {
            return setPaused(tenant, name, false);
        }

        @Override
        public boolean setSandbox(TenantId tenant, String name, boolean sandbox) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean setLimits(TenantId tenant, String name, Limits limits) {
            throw new UnsupportedOperationException();
        }
    };

    private final List<Config.EgressPool> pools = List.of(
            new Config.EgressPool("transactional", List.of("127.0.0.3", "::1"), "out.acme.test"));

    private StreamDepartures departures() {
        return new StreamDepartures(streams, pools, Duration.ofSeconds(2), clock);
    }

    private void add(String name, String source, String ehlo, String egress) {
        streams.add(Stream.of(ACME, name, Stream.Kind.TRANSACTIONAL, source, ehlo, egress, clock.instant()));
    }

    private static SendContext on(String stream) {
        return new SendContext("acme", stream, "tag", Map.of("k", "v"));
    }

    @Test
    void eachStreamSendsFromItsPoolItsOwnAddressOrTheDefault() throws Exception {
        add("receipts", null, null, "transactional");
        add("alerts", "127.0.0.5", "alerts.acme.test", null);
        add("plain", null, null, null);
        StreamDepartures d = departures();
        assertEquals(new Departure.Send(new Egress("transactional", List.of(InetAddress.getByName("127.0.0.3"),
                InetAddress.getByName("::1")), "out.acme.test")), d.of(on("receipts")));
        assertEquals(new Departure.Send(new Egress("127.0.0.5/alerts.acme.test",
                List.of(InetAddress.getByName("127.0.0.5")), "alerts.acme.test")), d.of(on("alerts")));
        assertEquals(Departure.DEFAULT, d.of(on("plain")));
        assertEquals(Departure.DEFAULT, d.of(on("unknown")));
        assertEquals(Departure.DEFAULT, d.of(SendContext.EMPTY));
    }

    @Test
    void aPoolNamedDefaultIsTheEgressOfMailWithoutAStream() {
        StreamDepartures d = new StreamDepartures(streams, List.of(new Config.EgressPool("default",
                List.of("127.0.0.7"), "mx.example.test")), Duration.ofSeconds(2), clock);
        Departure.Send send = assertInstanceOf(Departure.Send.class, d.of(SendContext.EMPTY));
        assertEquals("default", send.egress().name());
        assertEquals("mx.example.test", send.egress().ehlo());
        assertEquals(0, lookups, "mail without a stream never asks the store");
    }

    @Test
    void aPoolThatIsNotConfiguredMakesTheMailWaitRatherThanLeaveFromAnother() {
        add("news", null, null, "bulk");
        Departure.Stuck stuck = assertInstanceOf(Departure.Stuck.class, departures().of(on("news")));
        assertEquals(Reply.of(451, StreamDepartures.MISCONFIGURED,
                "Egress pool bulk of stream acme/news is not configured"), stuck.reply());
    }

    @Test
    void aPauseOutranksTheSandboxAndIsSeenWithinTheRefresh() {
        add("receipts", null, null, "transactional");
        StreamDepartures d = departures();
        assertInstanceOf(Departure.Send.class, d.of(on("receipts")));
        streams.setPaused(ACME, "receipts", true);
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(Departure.Send.class, d.of(new SendContext("acme", "receipts", "other", Map.of())),
                "kept for the refresh");
        assertEquals(1, lookups, "one lookup per stream and refresh, whatever the tag and metadata");
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(Departure.Paused.class, d.of(on("receipts")));
        Stream s = stored.get("acme/receipts");
        stored.put("acme/receipts", new Stream(ACME, "receipts", s.kind(), null, null, "transactional", true, true, 0,
                0, s.created()));
        d.clear();
        assertInstanceOf(Departure.Paused.class, d.of(on("receipts")), "paused and in the sandbox: held");
    }

    @Test
    void whileTheStoreIsOutOfReachWhatWasKnownGoesOnAndAnUnknownStreamWaits() {
        add("receipts", null, null, "transactional");
        StreamDepartures d = departures();
        Departure known = d.of(on("receipts"));
        down = true;
        clock.advance(Duration.ofSeconds(5));
        assertEquals(known, d.of(on("receipts")));
        Departure.Stuck stuck = assertInstanceOf(Departure.Stuck.class, d.of(on("alerts")));
        assertEquals("451 4.3.5 Stream acme/alerts cannot be looked up now", stuck.reply().summary());
    }
}
