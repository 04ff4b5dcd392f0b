package dev.petrel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's {@code pebble}, the ACME test CA, on loopback with a private configuration: its own TLS certificate
 * for localhost (made with openssl), its HTTP-01 checks sent to {@code httpPort} on 127.0.0.1 for names the given
 * DNS server resolves, and no sleeping before validation (PEBBLE_VA_NOSLEEP).
 */
final class Pebble implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/pebble");

    private final Path dir;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final SSLContext trust;

    Pebble(Path dir, int httpPort, String dnsServer) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install pebble (bin/test does)");
        }
        this.dir = dir;
        this.port = freePort();
        this.managementPort = freePort();
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", certificate().toString());
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                 "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(port, managementPort, certificate(), dir.resolve("key.pem"), httpPort, freePort()));
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-config", dir.resolve("pebble.json").toString(),
                "-dnsserver", dnsServer).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        // a nonce refused at random (pebble's default 5%) only tests the client's retry; not ours to test here
        pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        // every order proves its names again, renewal included
        pb.environment().put("PEBBLE_AUTHZREUSE", "0");
        this.process = pb.start();
        this.trust = trusting(certificate());
        awaitListening();
    }

    /** The directory URL. */
    String directory() {
        return "https://localhost:" + port + "/dir";
    }

    /** Pebble's own TLS certificate, to trust for the directory's HTTPS. */
    Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** The root that signs the certificates pebble issues, from its management endpoint (PEM). */
    String issuingRoot() throws Exception {
        return management("/roots/0");
    }

    /** The intermediate that signs the certificates pebble issues (PEM). */
    String intermediate() throws Exception {
        return management("/intermediates/0");
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("pebble.log"));
    }

    private String management(String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + managementPort + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(path + ": " + r.statusCode());
            }
            return r.body();
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pebble exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket m = new Socket(InetAddress.getLoopbackAddress(), managementPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("pebble does not listen: " + log());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
