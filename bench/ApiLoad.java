import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/api's HTTP client: sends COUNT single-recipient messages to POST /v1/messages over CONCURRENCY kept-alive
 * HTTP/1.1 connections, each on a virtual thread that writes a request and reads its answer in turn (as smtp-source
 * does with SMTP, and as light: a prebuilt request, no HTTP library). Every answer must be 200. Prints
 * "COUNT SECONDS" on standard output.
 *
 * Usage: java bench/ApiLoad.java HOST PORT KEY CONCURRENCY COUNT MESSAGE_BYTES
 */
public final class ApiLoad {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String key = args[2];
        int concurrency = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int size = Integer.parseInt(args[5]);
        byte[] request = request(host, port, key, size);
        AtomicInteger left = new AtomicInteger(count);
        AtomicLong failed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket(host, port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
                    while (left.getAndDecrement() > 0) {
                        out.write(request);
                        out.flush();
                        if (status(in) != 200) {
                            failed.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    System.err.println("ApiLoad: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            System.err.println("ApiLoad: " + failed.get() + " requests were not answered 200");
            System.exit(1);
        }
        System.out.printf("%d %.3f%n", count, seconds);
    }

    // a message of about `size` octets once composed: the text fills what the header fields leave
    private static byte[] request(String host, int port, String key, int size) {
        String text = "x".repeat(72) + "\\n";
        StringBuilder body = new StringBuilder();
        while (body.length() < size - 450) {
            body.append(text);
        }
        String json = "{\"from\": \"sender@bench.test\", \"to\": \"user@bench.test\", \"subject\": \"bench\","
                + " \"text\": \"" + body + "\"}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/messages HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + b.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(b, 0, out, h.length, b.length);
        return out;
    }

    // reads one answer: the status line, the header fields, and a body of Content-Length octets
    private static int status(InputStream in) throws IOException {
        String line = line(in);
        int status = Integer.parseInt(line.split(" ")[1]);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).strip());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("the connection ended in an answer");
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended");
            }
            if (c != '\r') {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
