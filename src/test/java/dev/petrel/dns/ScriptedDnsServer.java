package dev.petrel.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * A DNS server on a loopback UDP port that answers each query as the test's function says; a null answer is
 * silence, as from a server that never replies. It counts the queries it gets.
 */
final class ScriptedDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Function<Message, Message> script;
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    ScriptedDnsServer(Function<Message, Message> script) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.script = script;
        this.thread = Thread.ofPlatform().daemon().name("scripted-dns").start(this::serve);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message answer = script.apply(query);
                if (answer != null) {
                    answer.getHeader().setID(query.getHeader().getID());
                    byte[] wire = answer.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or a packet that is not DNS: keep serving until closed
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
