package dev.petrel.delivery.local;

import java.io.BufferedInputStream;
import dev.petrel.delivery.ReplyLines;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One connection to an LMTP server, over TCP or a Unix socket. Every read and write is bounded: when its time is
 * up the connection is closed and {@link SocketTimeoutException} thrown.
 */
final class LmtpConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean timedOut;

    private LmtpConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel));
        this.out = Channels.newOutputStream(channel);
    }

    static LmtpConnection open(LmtpTarget target, Duration timeout) throws IOException {
        SocketChannel channel = switch (target) {
            case LmtpTarget.Inet inet -> SocketChannel.open(inet.host().contains(":")
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            case LmtpTarget.Unix unix -> SocketChannel.open(StandardProtocolFamily.UNIX);
        };
        LmtpConnection c = new LmtpConnection(channel);
        c.bounded(timeout, () -> {
            switch (target) {
                case LmtpTarget.Inet inet -> channel.connect(new InetSocketAddress(inet.host(), inet.port()));
                case LmtpTarget.Unix unix -> channel.connect(UnixDomainSocketAddress.of(unix.socket()));
            }
            return null;
        });
        return c;
    }

    void write(byte[] bytes, Duration timeout) throws IOException {
        bounded(timeout, () -> {
            out.write(bytes);
            out.flush();
            return null;
        });
    }

    /** One reply line without its line end; {@link EOFException} when the server closed the connection. */
    byte[] readLine(Duration timeout) throws IOException {
        return bounded(timeout, () -> ReplyLines.read(in));
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    // blocking channel I/O has no timeout of its own: a watchdog closes the channel when the time is up
    private <T> T bounded(Duration timeout, Io<T> io) throws IOException {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                timedOut = true;
                channel.close();
            } catch (InterruptedException | IOException e) {
                // done in time, or closed anyway
            }
        });
        try {
            return io.run();
        } catch (IOException e) {
            if (timedOut) {
                throw new SocketTimeoutException("no progress within " + timeout);
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
