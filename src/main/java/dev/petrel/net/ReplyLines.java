package dev.petrel.net;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads the reply lines of an SMTP or LMTP server, bounded in length, for {@link ClientChannel}. */
final class ReplyLines {

    // RFC 5321 4.5.3.1.5: a reply line is at most 512 octets; real servers exceed it, so we allow more, but bound it
    static final int MAX_LENGTH = 4096;

    private ReplyLines() {}

    /** One line without its CRLF (or bare LF); {@link EOFException} when the server closed the connection. */
    static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length;
                return n > 0 && bytes[n - 1] == '\r' ? Arrays.copyOf(bytes, n - 1) : bytes;
            }
            if (line.size() >= MAX_LENGTH) {
                throw new IOException("reply line longer than " + MAX_LENGTH + " octets");
            }
            line.write(b);
        }
    }
}
