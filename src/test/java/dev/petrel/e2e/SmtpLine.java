package dev.petrel.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A hand-driven SMTP connection, for tests that must stop between two lines (mid-DATA, say) and look at the
 * raw replies. Reads time out after 30 s, so a test never hangs on a silent server.
 */
final class SmtpLine implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SmtpLine(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static SmtpLine connect(int port) throws IOException {
        return new SmtpLine(new Socket("127.0.0.1", port));
    }

    /** TLS from the first byte (the submissions role), trusting whatever certificate the server shows. */
    static SmtpLine connectTls(int port) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            socket.startHandshake();
            return new SmtpLine(socket);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** The subject of the certificate the server showed in the handshake. */
    String peerSubject() throws IOException {
        X509Certificate cert = (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
        return cert.getSubjectX500Principal().getName();
    }

    /** Sends a line (CRLF added) and returns the whole reply, its lines joined by "\n". */
    String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The next reply, every line of it; "" when the server closed the connection. */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return all.toString();
            }
            all.append(all.isEmpty() ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString().stripTrailing();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // a test client: the server is ours
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // a test client: it only looks at which certificate it got
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
