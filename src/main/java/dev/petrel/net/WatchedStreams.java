package dev.petrel.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's streams, each blocking call under a {@link Deadlines.Watch}: a read may last the current timeout
 * (set by the connection as its phase changes), and so may a write, for a peer that stops reading must not hold
 * a thread forever either.
 */
public final class WatchedStreams {

    /** The wait's deadline passed: the connection is its {@link Deadlines.Expiry}'s now. */
    public static final class DeadlinePassed extends SocketTimeoutException {
        DeadlinePassed(IOException cause) {
            super("no progress before the deadline");
            if (cause != null) {
                initCause(cause);
            }
        }
    }

    /** A blocking step that may fail. */
    public interface Wait {
        void run() throws IOException;
    }

    private final Deadlines.Watch watch;
    private final Input in;
    private final Output out;
    private long timeoutNanos;
    // System.nanoTime() by which the reads must be done, or Long.MAX_VALUE for none
    private long deadlineNanos = Long.MAX_VALUE;

    public WatchedStreams(Deadlines.Watch watch, InputStream in, OutputStream out, Duration timeout) {
        this.watch = watch;
        this.in = new Input(in);
        this.out = new Output(out);
        timeout(timeout);
    }

    /** The longest each of the next reads and writes may wait. */
    public void timeout(Duration timeout) {
        timeoutNanos = timeout.toNanos();
        deadlineNanos = Long.MAX_VALUE;
    }

    /**
     * As {@link #timeout}, and the reads together must be done within it: a peer that drips a reply one octet at
     * a time, each just within the timeout, cannot stretch the wait for the whole (RFC 5321 4.5.3.2: the time
     * limits are on waiting for a reply).
     */
    public void deadline(Duration timeout) {
        timeoutNanos = timeout.toNanos();
        deadlineNanos = System.nanoTime() + timeoutNanos;
    }

    private long readWait() {
        if (deadlineNanos == Long.MAX_VALUE) {
            return timeoutNanos;
        }
        return Math.max(1, Math.min(timeoutNanos, deadlineNanos - System.nanoTime()));
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /**
     * Runs a wait that ends in silence on expiry, such as a TLS handshake, within {@code timeout}: its failure,
     * or {@link DeadlinePassed} when the deadline passed first (and the expiry closed the connection).
     */
    public static void silently(Deadlines.Watch watch, Duration timeout, Wait wait) throws IOException {
        watch.silent(timeout.toNanos());
        IOException failure = null;
        try {
            wait.run();
        } catch (IOException e) {
            failure = e;
        }
        finish(watch, failure);
    }

    // after a wait: a deadline that passed is the answer, whatever the wait saw once the socket was closed
    private static void finish(Deadlines.Watch watch, IOException failure) throws IOException {
        if (!watch.done()) {
            throw new DeadlinePassed(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private final class Input extends InputStream {
        private final InputStream inner;

        Input(InputStream inner) {
            this.inner = inner;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            watch.reading(readWait());
            int n = -1;
            IOException failure = null;
            try {
                n = inner.read(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
            finish(watch, failure);
            return n;
        }

        @Override
        public int available() throws IOException {
            return inner.available();
        }
    }

    private final class Output extends OutputStream {
        private final OutputStream inner;

        Output(OutputStream inner) {
            this.inner = inner;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            watch.writing(timeoutNanos);
            IOException failure = null;
            try {
                inner.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
            finish(watch, failure);
        }

        @Override
        public void flush() throws IOException {
            inner.flush();
        }
    }
}
