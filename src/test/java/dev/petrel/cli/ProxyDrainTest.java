package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server going down does not wait for, nor let in, a connection still waiting for its PROXY header. */
class ProxyDrainTest {

    @TempDir
    Path dir;

    @Test
    void aDrainClosesConnectionsWaitingForTheirHeader() throws Exception {
        Config config = ConfigLoader.parse("""
                hostname = "mx.test"
                data_dir = "%s"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                proxy_protocol = true
                trusted_proxies = ["127.0.0.1"]
                proxy_timeout = "60s"
                [http]
                address = "127.0.0.1:0"
                """.formatted(dir.resolve("data")), dir);
        try (Petrel petrel = Petrel.start(config, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)); Socket waiting = new Socket()) {
            waiting.connect(petrel.addresses().getFirst(), 5000);
            waiting.setSoTimeout(10_000);
            long started = System.nanoTime();
            assertEquals(0, petrel.server().drain(Duration.ofSeconds(30)));
            int read;
            try {
                // the header after the drain began: no greeting may follow it
                waiting.getOutputStream().write("PROXY TCP4 192.0.2.9 192.0.2.1 4000 25\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                read = waiting.getInputStream().read();
            } catch (SocketException closed) {
                read = -1;
            }
            assertEquals(-1, read, "a greeting after the drain");
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
            assertEquals(0, petrel.server().openConnections());
        }
    }
}
