package dev.petrel.delivery.remote;

import dev.petrel.delivery.TlsResultType;
import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Domain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (RFC 8461 3.3): the host name resolved with
 * Petrel's own resolver, the certificate verified against the trust store and the host name, no redirects, a
 * bounded size and time. HTTP/1.0, so the answer is never chunked.
 */
final class HttpsPolicyFetcher {

    // RFC 8461 3.3: policy bodies are small; 64 KiB is the limit it suggests
    static final int MAX_BODY = 64 * 1024;

    private final Resolver resolver;
    private final SSLSocketFactory tls;
    private final int port;
    private final Duration timeout;

    HttpsPolicyFetcher(Resolver resolver, SSLSocketFactory verifyingTls, int port, Duration timeout) {
        this.resolver = resolver;
        this.tls = verifyingTls;
        this.port = port;
        this.timeout = timeout;
    }

    /**
     * A policy's text, or why it could not be had (RFC 8460 4.3.2.2): its certificate did not verify
     * (sts-webpki-invalid), or no host, no connection, not 200, too big (sts-policy-fetch-error).
     */
    record Fetched(String body, TlsResultType problem) {

        static Fetched failed(TlsResultType problem) {
            return new Fetched(null, problem);
        }
    }

    Fetched fetch(Domain domain) {
        String host = "mta-sts." + domain.name();
        List<InetAddress> addresses = switch (resolver.lookupAddresses(host)) {
            case Lookup.Found<InetAddress> found -> found.records();
            default -> List.of();
        };
        TlsResultType problem = TlsResultType.STS_POLICY_FETCH_ERROR;
        for (InetAddress address : addresses) {
            try {
                return new Fetched(get(host, address), null);
            } catch (SSLHandshakeException e) {
                problem = TlsResultType.STS_WEBPKI_INVALID;
            } catch (IOException e) {
                // the next address, if any
            }
        }
        return Fetched.failed(problem);
    }

    private String get(String host, InetAddress address) throws IOException {
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true)) {
                SSLParameters p = socket.getSSLParameters();
                p.setProtocols(TlsContexts.PROTOCOLS);
                p.setServerNames(List.of(new SNIHostName(host)));
                // RFC 8461 3.3: the certificate must be valid for the mta-sts host name
                p.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(p);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(("GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: Petrel\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return body(read(socket.getInputStream()));
            }
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            all.write(buffer, 0, n);
            if (all.size() > MAX_BODY + 8192) {
                throw new IOException("policy too large");
            }
        }
        return all.toByteArray();
    }

    // RFC 8461 3.3: only a 200 counts; redirects are not followed
    private static String body(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no end of headers");
        }
        String[] head = text.substring(0, end).split("\r\n");
        String[] status = head[0].split(" ", 3);
        if (status.length < 2 || !status[1].equals("200")) {
            throw new IOException("HTTP status " + head[0]);
        }
        for (String h : head) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-type:")
                    && !h.toLowerCase(Locale.ROOT).contains("text/plain")) {
                throw new IOException("not text/plain: " + h);
            }
        }
        String body = text.substring(end + 4);
        if (body.length() > MAX_BODY) {
            throw new IOException("policy too large");
        }
        return body;
    }
}
