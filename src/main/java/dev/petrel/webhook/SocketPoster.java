package dev.petrel.webhook;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A {@link Poster} that speaks just the HTTP/1.1 a webhook needs (RFC 9112): one POST with a Content-Length body
 * on a kept-alive connection, blocking, on the caller's virtual thread; the answer's status is read and its body
 * skipped. The JDK's {@code HttpClient} did the same at several times the CPU per request (its selector thread,
 * reactive pipeline and futures cost more than the whole rest of a delivery), which with every event posted made
 * the relay rate fall by about 40%. Redirects are never followed; TLS checks the certificate against the host
 * name, as {@code https} requires (RFC 9110 4.3.4).
 */
public final class SocketPoster implements Poster, AutoCloseable {

    // a receiver's answer body is skipped up to this much; beyond it the connection is closed instead
    private static final int MAX_SKIPPED_BODY = 1 << 16;
    private static final int MAX_LINE = 8192;
    // an idle kept-alive connection older than this is not reused: servers close theirs after 5 to 60 s
    private static final long IDLE_NANOS = Duration.ofSeconds(4).toNanos();

    private record Origin(boolean tls, String host, int port) {}

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long idleSince;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 4096);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private final Duration connectTimeout;
    private final Map<Origin, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SocketPoster(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @Override
    public int post(URI url, Map<String, String> headers, String body, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Origin origin = origin(url);
        byte[] request = request(url, origin, headers, body.getBytes(StandardCharsets.UTF_8));
        Connection reused = take(origin);
        if (reused != null) {
            try {
                return exchange(origin, reused, request, deadline);
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException("no answer within " + timeout.toSeconds() + " s");
            } catch (IOException e) {
                // the server closed the idle connection as we reused it: once more on a new one
            }
        }
        try {
            return exchange(origin, connect(origin, deadline), request, deadline);
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("no answer within " + timeout.toSeconds() + " s");
        }
    }

    private static Origin origin(URI url) {
        boolean tls = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        return new Origin(tls, url.getHost(), port);
    }

    private static byte[] request(URI url, Origin origin, Map<String, String> headers, byte[] body) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        boolean defaultPort = origin.port() == (origin.tls() ? 443 : 80);
        StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(origin.host().contains(":") && !origin.host().startsWith("[") ? "[" + origin.host() + "]"
                        : origin.host())
                .append(defaultPort ? "" : ":" + origin.port())
                .append("\r\nUser-Agent: Petrel-Webhooks/1\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private Connection take(Origin origin) {
        ConcurrentLinkedDeque<Connection> pool = idle.get(origin);
        for (Connection c = pool == null ? null : pool.pollFirst(); c != null; c = pool.pollFirst()) {
            if (System.nanoTime() - c.idleSince < IDLE_NANOS) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private Connection connect(Origin origin, long deadline) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(origin.host(), origin.port()),
                    (int) Math.min(connectTimeout.toMillis(), remaining(deadline)));
            if (origin.tls()) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, origin.host(), origin.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(remaining(deadline));
                tls.startHandshake();
                socket = tls;
            }
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** Sends the request and reads the answer; the connection goes back to the pool when it may be reused. */
    private int exchange(Origin origin, Connection c, byte[] request, long deadline) throws IOException {
        boolean keep = false;
        try {
            c.socket.setSoTimeout(remaining(deadline));
            c.out.write(request);
            c.out.flush();
            Answer answer;
            do {
                c.socket.setSoTimeout(remaining(deadline));
                answer = head(c.in, deadline, c);
            } while (answer.status() >= 100 && answer.status() < 200); // RFC 9110 15.2: interim answers
            keep = skipBody(c, answer, deadline);
            return answer.status();
        } finally {
            if (keep && !closed) {
                c.idleSince = System.nanoTime();
                idle.computeIfAbsent(origin, o -> new ConcurrentLinkedDeque<>()).addFirst(c);
            } else {
                c.close();
            }
        }
    }

    private record Answer(int status, long length, boolean chunked, boolean close) {}

    private Answer head(InputStream in, long deadline, Connection c) throws IOException {
        String status = line(in);
        // RFC 9112 4: HTTP-version SP status-code SP [reason-phrase]
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP/1.x answer: " + status.substring(0, Math.min(60, status.length())));
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + status);
        }
        long length = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            c.socket.setSoTimeout(remaining(deadline));
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    close = true;
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase().endsWith("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = close || value.toLowerCase().contains("close");
            }
        }
        return new Answer(code, length, chunked, close);
    }

    /** Skips the answer's body; true when the connection may carry the next request. */
    private static boolean skipBody(Connection c, Answer a, long deadline) throws IOException {
        if (a.status() == 204 || a.status() == 304) {
            return !a.close();
        }
        if (a.chunked()) {
            long total = 0;
            while (true) {
                String size = line(c.in);
                int semicolon = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    return false;
                }
                if (n == 0) {
                    for (String trailer = line(c.in); !trailer.isEmpty(); trailer = line(c.in)) {
                        // trailers are of no use here
                    }
                    return !a.close();
                }
                total += n;
                if (total > MAX_SKIPPED_BODY) {
                    return false;
                }
                c.socket.setSoTimeout(remaining(deadline));
                skip(c.in, n + 2);
            }
        }
        if (a.length() >= 0) {
            if (a.length() > MAX_SKIPPED_BODY) {
                return false;
            }
            skip(c.in, a.length());
            return !a.close();
        }
        // no length: the body runs to the end of the connection, which is not read
        return false;
    }

    private static void skip(InputStream in, long n) throws IOException {
        for (long left = n; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("the connection ended in the answer's body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended before the answer did");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("an answer line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(pool -> {
            for (Connection c = pool.pollFirst(); c != null; c = pool.pollFirst()) {
                c.close();
            }
        });
    }
}
