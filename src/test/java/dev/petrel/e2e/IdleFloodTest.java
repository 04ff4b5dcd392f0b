package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found from outside: 5,000 idle connections (opened, greeted, silent) took Petrel from 131 to 290 MiB RSS, and
 * at 9,000 the heap ran out in the accept thread. With the launcher's own JVM options, 10,000 idle connections
 * now stay under 512 MiB RSS, a normal client is still served within a second, and the idle ones are dropped at
 * their timeout.
 */
class IdleFloodTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    // bin/petrel's default JVM options
    private static final List<String> LAUNCHER_OPTIONS = List.of("-Xss512k", "-XX:+UseSerialGC", "-Xmx256m",
            "-XX:MaxMetaspaceSize=128m");
    private static final int IDLE = 10_000;
    private static final long RSS_LIMIT_KIB = 512 * 1024;

    @Test
    void tenThousandIdleConnectionsFitInHalfAGibibyteAndANormalClientIsStillServed() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("flood"));
        Files.writeString(home.config(), Files.readString(home.config())
                + "\n[limits]\nconnections = 20000\nconnections_per_client = 20000\n[timeouts]\nhelo = \"20s\"\n");
        List<Socket> idle = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(home, LAUNCHER_OPTIONS)) {
            int port = server.port("mx");
            long before = rssKib(server.pid());
            for (int i = 0; i < IDLE; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(60_000);
                idle.add(s);
            }
            // greeted: every one has its 220 (read from a sample; the rest sit in the sockets' buffers)
            for (int i = 0; i < IDLE; i += IDLE / 20) {
                assertTrue(line(idle.get(i).getInputStream()).startsWith("220 "), "connection " + i + " greeted");
            }
            long after = rssKib(server.pid());
            System.out.printf("idle flood: RSS %d KiB before, %d KiB with %d idle connections (%.1f KiB each)%n",
                    before, after, IDLE, (after - before) / (double) IDLE);
            assertTrue(after < RSS_LIMIT_KIB, "RSS " + after + " KiB with " + IDLE + " idle connections");

            long start = System.nanoTime();
            assertEquals("221", normalSession(port), "a normal client is served");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "a normal client waited " + millis + " ms");

            // at the 20 s helo timeout each idle one is told 421 and closed
            for (int i = 0; i < IDLE; i += IDLE / 20) {
                InputStream in = idle.get(i).getInputStream();
                assertTrue(line(in).startsWith("421 4.4.2"), "connection " + i + " timed out");
                assertEquals(-1, in.read(), "and closed");
            }
            assertTrue(server.isAlive(), server.log());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private static String normalSession(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            last(in);
            out.write("EHLO normal.test\r\n".getBytes(StandardCharsets.US_ASCII));
            last(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return last(in).substring(0, 3);
        }
    }

    private static String last(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return s.toString();
            }
            s.append((char) b);
        }
        return s.toString();
    }

    private static long rssKib(long pid) throws IOException {
        Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
