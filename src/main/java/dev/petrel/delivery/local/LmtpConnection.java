package dev.petrel.delivery.local;

import dev.petrel.net.Deadlines;
import dev.petrel.net.ReplyLines;
import dev.petrel.net.WatchedStreams;
import java.io.BufferedInputStream;
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
 * One connection to an LMTP server, over TCP or a Unix socket. The connect, every write and every reply line are
 * each bounded by a {@link Deadlines} watch, as the relay client's are: when the time is up the connection is
 * closed and {@link SocketTimeoutException} thrown.
 */
final class LmtpConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final Deadlines.Watch watch;
    private final WatchedStreams streams;
    private final InputStream in;
    private final OutputStream out;

    // every write and read sets its own timeout first; until then, the connect's
    private LmtpConnection(SocketChannel channel, Deadlines deadlines, Duration timeout) {
        this.channel = channel;
        this.watch = deadlines.watch(Deadlines.Expiry.closing(this::closeChannel));
        this.streams = new WatchedStreams(watch, Channels.newInputStream(channel), Channels.newOutputStream(channel),
                timeout);
        this.in = new BufferedInputStream(streams.in());
        this.out = streams.out();
    }

    static LmtpConnection open(LmtpTarget target, Duration timeout, Deadlines deadlines) throws IOException {
        SocketChannel channel = switch (target) {
            case LmtpTarget.Inet inet -> SocketChannel.open(inet.host().contains(":")
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            case LmtpTarget.Unix unix -> SocketChannel.open(StandardProtocolFamily.UNIX);
        };
        LmtpConnection c = new LmtpConnection(channel, deadlines, timeout);
        try {
            // a blocking connect has no timeout of its own: the watch closes the channel when the time is up
            WatchedStreams.silently(c.watch, timeout, () -> {
                switch (target) {
                    case LmtpTarget.Inet inet -> channel.connect(new InetSocketAddress(inet.host(), inet.port()));
                    case LmtpTarget.Unix unix -> channel.connect(UnixDomainSocketAddress.of(unix.socket()));
                }
            });
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    void write(byte[] bytes, Duration timeout) throws IOException {
        streams.timeout(timeout);
        out.write(bytes);
        out.flush();
    }

    /** One reply line without its line end; {@link EOFException} when the server closed the connection. */
    byte[] readLine(Duration timeout) throws IOException {
        streams.timeout(timeout);
        return ReplyLines.read(in);
    }

    @Override
    public void close() {
        watch.close();
        closeChannel();
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
