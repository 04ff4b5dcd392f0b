package dev.petrel.server;

import dev.petrel.milter.Packet;
import dev.petrel.milter.PacketDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The socket to one filter, TCP or Unix-domain, each wait bounded by a deadline (a filter that hangs costs the
 * session its timeout, never a thread forever).
 */
final class MilterChannel implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final PacketDecoder decoder = new PacketDecoder();
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);

    private MilterChannel(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /** Connects to "inet:host:port" or "unix:/path" before the deadline (System.nanoTime). */
    static MilterChannel connect(String address, long deadline) throws IOException {
        SocketAddress target = target(address);
        SocketChannel channel = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        Selector selector = Selector.open();
        MilterChannel c = new MilterChannel(channel, selector);
        try {
            channel.configureBlocking(false);
            if (!channel.connect(target)) {
                c.await(SelectionKey.OP_CONNECT, deadline);
                channel.finishConnect();
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static SocketAddress target(String address) {
        if (address.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(Path.of(address.substring(5)));
        }
        int colon = address.lastIndexOf(':');
        String host = address.substring(5, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
    }

    void write(Packet packet, long deadline) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(packet.toBytes());
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /** The filter's next packet, read before the deadline. */
    Packet read(long deadline) throws IOException {
        Packet p;
        while ((p = decoder.next()) == null) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("the filter closed the connection");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            } else {
                decoder.feed(in.array(), 0, n);
            }
        }
        return p;
    }

    private void await(int op, long deadline) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            while (selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)) == 0) {
                if (deadline - System.nanoTime() <= 0) {
                    throw new SocketTimeoutException("the filter did not answer in time");
                }
            }
        } finally {
            key.interestOps(0);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
