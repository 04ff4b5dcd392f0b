import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/relay's webhook receiver: a minimal HTTP/1.1 server on loopback (kept-alive connections, one virtual
 * thread each) that answers every POST with 200 and counts the posts and the message.delivered events among them,
 * writing "posts delivered" to COUNT_FILE twice a second. It checks no signature (the tests do, with the reference
 * verifier): it only has to cost little, as smtp-sink does for mail. Run: java bench/WebhookReceiver.java PORT FILE
 */
public class WebhookReceiver {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELIVERED = "\"type\":\"message.delivered\"".getBytes(StandardCharsets.US_ASCII);
    static final AtomicLong posts = new AtomicLong();
    static final AtomicLong delivered = new AtomicLong();

    public static void main(String[] args) throws Exception {
        ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 512, InetAddress.getLoopbackAddress());
        Path countFile = Path.of(args[1]);
        Thread.ofPlatform().daemon(true).start(() -> {
            while (true) {
                try {
                    Files.writeString(countFile, posts.get() + " " + delivered.get() + "\n");
                    Thread.sleep(500);
                } catch (Exception e) {
                    return;
                }
            }
        });
        while (true) {
            Socket s = server.accept();
            Thread.ofVirtual().start(() -> serve(s));
        }
    }

    static void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            OutputStream out = s.getOutputStream();
            while (true) {
                long length = -1;
                String line = line(in);
                if (line == null) {
                    return;
                }
                while (!(line = line(in)).isEmpty()) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                byte[] body = in.readNBytes((int) Math.max(0, length));
                posts.incrementAndGet();
                if (contains(body, DELIVERED)) {
                    delivered.incrementAndGet();
                }
                out.write(OK);
                out.flush();
            }
        } catch (IOException | NullPointerException e) {
            // the client went away
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
