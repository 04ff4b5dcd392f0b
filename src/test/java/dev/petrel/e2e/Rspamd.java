package dev.petrel.e2e;

import dev.petrel.milter.Negotiated;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rspamd with only its proxy worker, in milter mode and scanning by itself, on a free loopback port, with
 * a private configuration directory over Debian's stock configuration (its own database, run and log folders): no
 * Redis, and the modules that would ask the network (DNS lists, fuzzy hashes, SPF, DKIM, DMARC) off, so a scan
 * depends on the message alone. Its milter_headers module adds its result headers to every message, local ones
 * included.
 */
final class Rspamd implements AutoCloseable {

    private static final Map<String, String> LOCAL = Map.of(
            "local.d/logging.inc", "type = \"file\";\nfilename = \"$LOGDIR/rspamd.log\";\nlevel = \"info\";\n",
            "local.d/options.inc", "dns {\n  nameserver = [\"127.0.0.1:9\"];\n  timeout = 0.2s;\n  retransmits = 1;\n}\n"
                    + "local_addrs = [];\n",
            "local.d/milter_headers.conf", "use = [\"x-spamd-result\", \"x-rspamd-queue-id\", \"x-spam-status\"];\n"
                    + "skip_local = false;\nskip_authenticated = false;\n",
            "override.d/worker-normal.inc", "enabled = false;\n",
            "override.d/worker-controller.inc", "enabled = false;\n",
            "override.d/worker-fuzzy.inc", "enabled = false;\n");

    private static final List<String> OFF = List.of("rbl", "fuzzy_check", "spf", "dkim", "dmarc", "asn", "emails",
            "phishing", "url_redirector", "dkim_signing", "arc", "rspamd_update", "mx_check", "multimap");

    private final Process process;
    private final int port;
    private final Path dir;

    private Rspamd(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static Rspamd start(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        for (Map.Entry<String, String> f : LOCAL.entrySet()) {
            write(dir.resolve(f.getKey()), f.getValue());
        }
        write(dir.resolve("local.d/worker-proxy.inc"), "milter = yes;\nbind_socket = \"127.0.0.1:" + port + "\";\n"
                + "timeout = 120s;\nupstream \"local\" {\n  default = yes;\n  self_scan = yes;\n}\ncount = 1;\n");
        for (String module : OFF) {
            write(dir.resolve("override.d/" + module + ".conf"), "enabled = false;\n");
        }
        for (String sub : List.of("db", "run", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Process p = new ProcessBuilder(Programs.require("rspamd", "rspamd"), "-f", "-i", "-c", "/etc/rspamd/rspamd.conf",
                "--var=LOCAL_CONFDIR=" + dir, "--var=DBDIR=" + dir.resolve("db"), "--var=RUNDIR=" + dir.resolve("run"),
                "--var=LOGDIR=" + dir.resolve("log"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Rspamd r = new Rspamd(p, port, dir);
        try {
            Poll.until(Duration.ofSeconds(90), "rspamd's milter port " + port, () -> r.answers() ? true : null);
        } catch (Throwable e) {
            r.close();
            throw e;
        }
        return r;
    }

    private boolean answers() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("rspamd ended: " + Files.readString(dir.resolve("stdout.log")));
        }
        // the port is bound before the proxy worker runs: ready once it answers OPTNEG
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write(Negotiated.offer().toBytes());
            byte[] answer = s.getInputStream().readNBytes(5);
            return answer.length == 5 && answer[4] == 'O';
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        // the main process's workers end with it; any left would hold the port
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }
}
