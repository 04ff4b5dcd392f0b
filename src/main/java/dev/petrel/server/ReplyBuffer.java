package dev.petrel.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The replies waiting to be sent: pipelined commands' replies go out together (RFC 2920), so they are gathered
 * here until a flush. The array is made when the first reply is written and grows as needed; between commands
 * an idle connection gives back anything larger than a few replies need.
 */
final class ReplyBuffer extends OutputStream {

    private static final int INITIAL = 256;
    private static final int KEPT = 1024;

    private final OutputStream out;
    private byte[] bytes;
    private int count;

    ReplyBuffer(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (bytes == null) {
            bytes = new byte[Math.max(INITIAL, len)];
        } else if (count + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + len));
        }
        System.arraycopy(b, off, bytes, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        if (count > 0) {
            out.write(bytes, 0, count);
            count = 0;
        }
        out.flush();
    }

    /** Nothing waits to be sent: a large array goes, so that an idle connection holds none. */
    void shrink() {
        if (count == 0 && bytes != null && bytes.length > KEPT) {
            bytes = null;
        }
    }
}
