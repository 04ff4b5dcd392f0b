package dev.petrel.conversation;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real TCP connection to one of the server's listeners, with a TLS layer on top for STARTTLS and for
 * the submissions role. The server's certificate is self-signed, so the client trusts any.
 */
final class LoopbackTransport implements Transport {

    static final int TIMEOUT_MILLIS = 10_000;
    private static final SSLContext TRUST_ALL = trustAll();

    private final Socket plain;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoopbackTransport(InetSocketAddress address, boolean implicitTls) throws IOException {
        plain = new Socket();
        try {
            plain.connect(address, TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            plain.setTcpNoDelay(true);
            socket = plain;
            useStreams();
            if (implicitTls) {
                startTls();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no reply within " + TIMEOUT_MILLIS + " ms"
                        + (line.size() > 0 ? " (partial line: " + line.toString(StandardCharsets.UTF_8) + ")" : ""));
            } catch (SocketException | SSLException e) {
                // a reset, or TLS torn down without close_notify: the server closed the connection
                b = -1;
            }
            if (b < 0) {
                if (line.size() > 0) {
                    throw new IOException("connection closed in the middle of a line: " + line.toString(StandardCharsets.UTF_8));
                }
                return null;
            }
            if (b == '\n') {
                return stripCr(line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
    }

    @Override
    public void startTls() throws IOException {
        SSLSocket ssl = (SSLSocket) TRUST_ALL.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ssl.setSoTimeout(TIMEOUT_MILLIS);
        socket = ssl;
        ssl.startHandshake();
        useStreams();
    }

    @Override
    public void idle() {
        // nothing to do: the server's own timer runs out while the next read waits
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            plain.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void useStreams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static SSLContext trustAll() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // a test client: any certificate will do
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the server's certificate is self-signed
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
