package dev.petrel.cli;

import dev.petrel.config.Config;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code petrel status}: asks the running server of this data folder for its health over the control socket
 * ({@link ServerHealth}), tries each listener it names, and judges: healthy when the server answers within
 * {@link #ANSWER}, every listener takes a connection, no reader of the event feed is more than {@code --max-lag}
 * events behind, and the store answers.
 */
@Command(name = "status", description = {"Report a running server's health: its listeners, queue depth, event feed"
        + " lag and store.", "Exit status 0 when healthy, 1 when not (or when no server runs)."})
final class StatusCommand implements Callable<Integer> {

    /** How long the server may take to answer, and each listener to take a connection. */
    static final Duration ANSWER = Duration.ofSeconds(10);

    private static final Pattern LISTENER = Pattern.compile("^listener (\\[[^\\]]+\\]|[^:]+):(\\d+) role=\\S+$");
    private static final Pattern LAG = Pattern.compile("^feed consumer=(\\S+) lag=(\\d+)$");

    @Mixin
    ConfigOption config;

    @Option(names = "--max-lag", paramLabel = "EVENTS", defaultValue = "10000",
            description = "events a reader of the feed (log, webhooks, ...) may be behind (default: ${DEFAULT-VALUE})")
    long maxLag;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        List<String> report;
        try {
            report = ask(c.controlSocket());
        } catch (IOException e) {
            System.out.println("petrel: not healthy: no server answers on " + c.controlSocket() + ": " + e.getMessage());
            return 1;
        }
        List<String> problems = new ArrayList<>();
        for (String line : report) {
            System.out.println(judge(line, problems));
        }
        System.out.println(problems.isEmpty() ? "petrel: healthy" : "petrel: not healthy: " + String.join("; ", problems));
        return problems.isEmpty() ? 0 : 1;
    }

    // the line as printed, with a verdict after a listener's; what is wrong goes to problems
    String judge(String line, List<String> problems) {
        Matcher listener = LISTENER.matcher(line);
        if (listener.matches()) {
            boolean answers = answers(listener.group(1).replace("[", "").replace("]", ""),
                    Integer.parseInt(listener.group(2)));
            if (!answers) {
                problems.add(line.substring("listener ".length()) + " does not answer");
            }
            return line + (answers ? " answers" : " does not answer");
        }
        Matcher lag = LAG.matcher(line);
        if (lag.matches() && Long.parseLong(lag.group(2)) > maxLag) {
            problems.add("feed consumer " + lag.group(1) + " is " + lag.group(2) + " events behind (over --max-lag "
                    + maxLag + ")");
        }
        if (line.startsWith("store error=")) {
            problems.add("the store does not answer");
        }
        return line;
    }

    // a listener on every address is tried on loopback
    private static boolean answers(String host, int port) {
        String target = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") || host.equals("0:0:0:0:0:0:0:0")
                ? "::1" : host;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target, port), (int) ANSWER.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The server's report, or an IOException when none runs or it does not answer in time. */
    static List<String> ask(Path socket) throws IOException, InterruptedException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            new ControlRequest.Status().write(new DataOutputStream(Channels.newOutputStream(channel)));
            // a Unix socket channel has no read timeout: the reading runs apart, and closing the channel ends it
            FutureTask<List<String>> read = new FutureTask<>(() -> new BufferedReader(new InputStreamReader(
                    Channels.newInputStream(channel), StandardCharsets.UTF_8)).lines().toList());
            Thread.ofVirtual().start(read);
            try {
                return read.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException("no answer within " + ANSWER.toSeconds() + "s");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
