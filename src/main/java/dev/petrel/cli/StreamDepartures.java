package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.delivery.Departure;
import dev.petrel.delivery.Departures;
import dev.petrel.delivery.Egress;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.IpLiteral;
import dev.petrel.mail.Reply;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each stream says of its mail's delivery, from the streams in the store and the {@code [[delivery.egress]]}
 * pools of the configuration: paused, sandbox, or sent from its pool, from its own source address and EHLO name,
 * or from the default egress. Answers are kept {@code stream_refresh} at most, so a change made by the command
 * line, the API or another node shows that soon; mail without a stream never waits on the store.
 */
final class StreamDepartures implements Departures {

    // RFC 3463 X.3.5: System incorrectly configured
    static final EnhancedStatus MISCONFIGURED = new EnhancedStatus(4, 3, 5);

    private final Streams streams;
    private final Map<String, Egress> pools;
    private final Departure fallback;
    private final Duration refresh;
    private final Clock clock;
    private final Map<StreamKey, Known> known = new ConcurrentHashMap<>();

    private record StreamKey(String tenant, String stream) {}

    private record Known(Departure departure, Instant until) {}

    StreamDepartures(Streams streams, List<Config.EgressPool> pools, Duration refresh, Clock clock) {
        this.streams = streams;
        this.pools = egresses(pools);
        this.fallback = new Departure.Send(this.pools.getOrDefault(Egress.DEFAULT_NAME, Egress.DEFAULT));
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The configured pools as egresses, by name. */
    static Map<String, Egress> egresses(List<Config.EgressPool> pools) {
        Map<String, Egress> out = new LinkedHashMap<>();
        for (Config.EgressPool p : pools) {
            out.put(p.name(), new Egress(p.name(), p.sources().stream().map(IpLiteral::parse).toList(), p.ehlo()));
        }
        return out;
    }

    @Override
    public Departure of(SendContext context) {
        if (context.tenant() == null || context.stream() == null) {
            return fallback;
        }
        StreamKey key = new StreamKey(context.tenant(), context.stream());
        Instant now = clock.instant();
        Known k = known.get(key);
        if (k != null && now.isBefore(k.until())) {
            return k.departure();
        }
        Departure fresh;
        try {
            fresh = departure(streams.stream(new TenantId(key.tenant()), key.stream()));
        } catch (RuntimeException e) {
            // the store is out of reach: what was known goes on a while; with nothing known, the mail waits
            fresh = k != null ? k.departure() : new Departure.Stuck(Reply.of(451, MISCONFIGURED,
                    "Stream " + key.tenant() + "/" + key.stream() + " cannot be looked up now"));
        }
        known.put(key, new Known(fresh, now.plus(refresh)));
        return fresh;
    }

    /** Forgets what it knows (SIGHUP): the next message of each stream looks it up again. */
    void clear() {
        known.clear();
    }

    private Departure departure(Optional<Stream> found) {
        if (found.isEmpty()) {
            return fallback;
        }
        Stream s = found.get();
        if (s.paused()) {
            return new Departure.Paused();
        }
        if (s.sandbox()) {
            return new Departure.Sandbox();
        }
        if (s.egress() != null) {
            Egress pool = pools.get(s.egress());
            // never from another egress than the one the stream names: its mail waits until the pool is back
            return pool != null ? new Departure.Send(pool) : new Departure.Stuck(Reply.of(451, MISCONFIGURED,
                    "Egress pool " + s.egress() + " of stream " + s.tenant() + "/" + s.name() + " is not configured"));
        }
        if (s.source() == null && s.ehlo() == null) {
            return fallback;
        }
        List<InetAddress> source = s.source() == null ? List.of() : List.of(IpLiteral.parse(s.source()));
        // streams with the same source and name share their egress, as receivers see them as one sender
        String name = (s.source() == null ? "any" : s.source()) + "/" + (s.ehlo() == null ? "hostname" : s.ehlo());
        return new Departure.Send(new Egress(name, source, s.ehlo()));
    }
}
