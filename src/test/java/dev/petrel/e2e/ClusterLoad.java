package dev.petrel.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Continuous submission to the nodes of a cluster for issue 19's failure tests: SMTP threads (a connection per
 * message, plain sockets, one command at a time) and HTTP threads ({@code POST /v1/messages} with an API key), each
 * sending in turn to every node ({@code POST /v1/messages/raw} for HTTP), each message with a Message-ID of its own, until stopped or until its bounded
 * number of messages or its deadline. It keeps the Message-ID of every message a node acknowledged (250 at the end
 * of DATA, 200 from the API), counts the temporary refusals a node gives while PostgreSQL is away (451 4.3.0, 503),
 * and lists every other answer as unexpected, but for broken connections while {@link #tolerateBroken} is set (a node
 * being killed).
 */
final class ClusterLoad implements AutoCloseable {

    static final String RECIPIENT = "bob@sink.test";
    static final String SENDER = "load@load.test";
    private static final Pattern MESSAGE_ID = Pattern.compile("^Message-ID: <([^>]+)>", Pattern.MULTILINE
            | Pattern.CASE_INSENSITIVE);
    // a sender waits this long between two messages: a steady load that leaves the machine's CPU to the nodes, and no
    // busy loop while a node refuses or is down
    private static final long PAUSE_MILLIS = 40;

    /** Every message a node acknowledged, by its Message-ID, with what took it ("smtp" or "http"). */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    final AtomicInteger smtpAcknowledged = new AtomicInteger();
    final AtomicInteger httpAcknowledged = new AtomicInteger();
    /** 451 4.3.0 replies, at any step of an SMTP transaction. */
    final AtomicInteger smtpTemporary = new AtomicInteger();
    /** 503 answers of the API. */
    final AtomicInteger httpUnavailable = new AtomicInteger();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    /** Set while a node is being killed: a connection it breaks is expected then. */
    final AtomicBoolean tolerateBroken = new AtomicBoolean();
    /** Messages whose final answer was awaited when a connection broke (it may have been queued, or not). */
    final AtomicInteger brokenInFlight = new AtomicInteger();

    private final AtomicIntegerArray byNode;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiKey;

    /** Where each node listens: its SMTP (mx) port and its HTTP port, asked each time (a restarted node moves). */
    record Ports(int smtp, int http) {}

    /** A node that is down (killed, not started again yet): nothing is sent to it. */
    static final Ports DOWN = new Ports(0, 0);

    private ClusterLoad(String apiKey, int nodes) {
        this.apiKey = apiKey;
        this.byNode = new AtomicIntegerArray(nodes);
    }

    /**
     * Starts {@code smtpThreads} and {@code httpThreads} senders over {@code nodes} nodes, whose ports {@code ports}
     * gives by number; each sends at most {@code maxEach} messages, and none sends after {@code limit}.
     */
    static ClusterLoad start(String apiKey, int nodes, IntFunction<Ports> ports, int smtpThreads, int httpThreads,
                             int maxEach, Duration limit) {
        ClusterLoad load = new ClusterLoad(apiKey, nodes);
        long deadline = System.nanoTime() + limit.toNanos();
        for (int t = 0; t < smtpThreads + httpThreads; t++) {
            boolean smtp = t < smtpThreads;
            int first = t;
            load.threads.add(Thread.ofPlatform().name("load-" + t).start(() -> load.send(smtp, first, nodes, ports,
                    maxEach, deadline)));
        }
        return load;
    }

    private void send(boolean smtp, int first, int nodes, IntFunction<Ports> ports, int maxEach, long deadline) {
        int attempts = 0;
        for (int turn = first; attempts < maxEach && !stop.get() && System.nanoTime() - deadline < 0; turn++) {
            int node = turn % nodes;
            Ports where = ports.apply(node);
            if (where.equals(DOWN)) {
                pause();
                continue;
            }
            attempts++;
            String id = "load-" + sequence.incrementAndGet() + "@load.test";
            if (!(smtp ? smtp(where.smtp(), id) : http(where.http(), id))) {
                byNode.incrementAndGet(node);
            }
            pause();
        }
    }

    /** Message-IDs in a message's content (its header), for a test that reads the queue's rows. */
    static String messageId(byte[] content) {
        Matcher m = MESSAGE_ID.matcher(new String(content, StandardCharsets.ISO_8859_1));
        return m.find() ? m.group(1) : "";
    }

    /** Messages node {@code node} acknowledged so far. */
    int acknowledgedBy(int node) {
        return byNode.get(node);
    }

    // true when the message was refused or broken
    private boolean smtp(int port, String id) {
        boolean awaitingFinal = false;
        try (SmtpLine line = SmtpLine.connect(port)) {
            String[] steps = {null, "EHLO load.e2e.test", "MAIL FROM:<" + SENDER + ">", "RCPT TO:<" + RECIPIENT + ">",
                    "DATA"};
            String[] wanted = {"220", "250", "250", "250", "354"};
            for (int s = 0; s < steps.length; s++) {
                String reply = steps[s] == null ? line.reply() : line.command(steps[s]);
                if (!reply.startsWith(wanted[s])) {
                    return refused("smtp " + (steps[s] == null ? "greeting" : steps[s]), reply);
                }
            }
            awaitingFinal = true;
            String reply = line.command(message(id) + ".");
            awaitingFinal = false;
            if (reply.startsWith("250")) {
                acknowledged.put(id, "smtp");
                smtpAcknowledged.incrementAndGet();
                line.command("QUIT");
                return false;
            }
            return refused("smtp end of DATA", reply);
        } catch (IOException e) {
            return broken("smtp", awaitingFinal, e);
        }
    }

    private static String message(String id) {
        return "From: <" + SENDER + ">\r\nTo: <" + RECIPIENT + ">\r\nSubject: load\r\nMessage-ID: <" + id + ">\r\n\r\n"
                + "hello " + id + "\r\n";
    }

    private boolean http(int port, String id) {
        // the raw route, so the message carries this Message-ID (the composer makes its own)
        String body = "{\"from\": \"" + SENDER + "\", \"to\": [\"" + RECIPIENT + "\"], \"message\": \""
                + message(id).replace("\r\n", "\\r\\n") + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages/raw"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"accepted\"")) {
                acknowledged.put(id, "http");
                httpAcknowledged.incrementAndGet();
                return false;
            }
            if (r.statusCode() == 503) {
                httpUnavailable.incrementAndGet();
                return true;
            }
            unexpected.add("http " + r.statusCode() + ": " + r.body());
            return true;
        } catch (IOException e) {
            return broken("http", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private boolean refused(String step, String reply) {
        if (reply.startsWith("451 4.3.0")) {
            smtpTemporary.incrementAndGet();
        } else if (!(reply.isEmpty() && tolerateBroken.get())) {
            unexpected.add(step + ": " + (reply.isEmpty() ? "connection closed" : reply));
        }
        return true;
    }

    private boolean broken(String what, boolean inFlight, IOException e) {
        if (tolerateBroken.get()) {
            if (inFlight) {
                brokenInFlight.incrementAndGet();
            }
        } else {
            unexpected.add(what + ": " + e);
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the senders saw so far, for assertion messages. */
    String describe() {
        return acknowledged.size() + " acknowledged (" + smtpAcknowledged + " by SMTP, " + httpAcknowledged
                + " by HTTP), " + smtpTemporary + " 451 4.3.0, " + httpUnavailable + " 503, " + brokenInFlight
                + " broken in flight; unexpected: " + unexpected.subList(0, Math.min(5, unexpected.size()));
    }

    /** Waits for {@code condition}, failing with {@code what} and what the senders saw. */
    void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) throws Exception {
        try {
            Poll.until(timeout, what, () -> condition.getAsBoolean() ? true : null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + describe(), e);
        }
    }

    /** Stops every sender and waits, boundedly, for it to end. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(60));
        }
        http.close();
    }

    /** How many times each Message-ID is in the sink's folder (aiosmtpd's N.eml files). */
    static Map<String, Integer> delivered(Path sinkDir) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> files = Files.list(sinkDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).toList()) {
                Matcher m = MESSAGE_ID.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** Waits until the sink has every acknowledged message; returns the counts then. */
    Map<String, Integer> awaitDelivered(Path sinkDir, Duration timeout) throws Exception {
        Set<String> wanted = Set.copyOf(acknowledged.keySet());
        return Poll.until(timeout, "every one of the " + wanted.size() + " acknowledged messages at the sink", () -> {
            Map<String, Integer> counts = delivered(sinkDir);
            return counts.keySet().containsAll(wanted) ? counts : null;
        });
    }
}
