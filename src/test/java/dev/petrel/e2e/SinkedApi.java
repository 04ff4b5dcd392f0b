package dev.petrel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A running send API home ({@link SendApiHome}) whose mail for other domains goes through a dnsmasq (the MX records
 * the test gives) to a {@link BouncingSink} on 127.0.0.2; closed server first, then the sink and the DNS.
 */
final class SinkedApi implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);

    final SendApiHome api;
    final BouncingSink sink;
    private final Dnsmasq dns;

    private SinkedApi(SendApiHome api, Dnsmasq dns, BouncingSink sink) {
        this.api = api;
        this.dns = dns;
        this.sink = sink;
    }

    /**
     * @param readyName the name dnsmasq answers once it is ready
     * @param dnsmasq dnsmasq's arguments
     * @param delivery lines added to the [delivery] table
     * @param tables tables added at the end of the configuration
     */
    static SinkedApi start(Scratch scratch, String readyName, List<String> dnsmasq, String delivery, String tables)
            throws Exception {
        SendApiHome api = new SendApiHome(scratch.newFolder("home"));
        Dnsmasq dns = new Dnsmasq(readyName, dnsmasq);
        BouncingSink sink = null;
        try {
            sink = BouncingSink.start(scratch.newFolder("sink"));
            api.home.deliverThrough(dns.address(), sink.port(), delivery, tables);
            api.start();
            return new SinkedApi(api, dns, sink);
        } catch (Exception | Error e) {
            new SinkedApi(api, dns, sink).close();
            throw e;
        }
    }

    /** The first event of the key's tenant that {@code wanted} accepts, waiting for it. */
    JsonNode event(String key, String what, Predicate<JsonNode> wanted) throws Exception {
        return Poll.until(WAIT, what, () -> {
            for (JsonNode e : api.send("GET", "/v1/events?after=0&limit=1000", key, null).json().path("events")) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            return null;
        });
    }

    /** The line of /metrics that starts with {@code prefix}. */
    String metric(String prefix) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("none in:\n" + body);
    }

    @Override
    public void close() throws InterruptedException, java.io.IOException {
        try {
            api.stop();
        } finally {
            try {
                if (sink != null) {
                    sink.close();
                }
            } finally {
                dns.close();
            }
        }
    }
}
