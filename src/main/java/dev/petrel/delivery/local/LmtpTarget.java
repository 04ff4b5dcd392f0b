package dev.petrel.delivery.local;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where an LMTP server (RFC 2033) listens, written as Postfix writes it: {@code lmtp:host:port},
 * {@code lmtp:[::1]:24}, or {@code lmtp:unix:/run/dovecot/lmtp}.
 */
public sealed interface LmtpTarget {

    record Inet(String host, int port) implements LmtpTarget {
        @Override
        public String relay() {
            return host + "[" + host + "]:" + port;
        }

        /** Unresolved: the host name is looked up when connecting, within the connect timeout. */
        @Override
        public SocketAddress address() {
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    record Unix(Path socket) implements LmtpTarget {
        @Override
        public String relay() {
            return "localhost[" + socket + "]";
        }

        @Override
        public SocketAddress address() {
            return UnixDomainSocketAddress.of(socket);
        }
    }

    /** How the log names the server: {@code host[address]:port}, or {@code localhost[/path]} for a socket. */
    String relay();

    /** Where to connect. */
    SocketAddress address();

    static LmtpTarget parse(String transport) {
        if (!transport.startsWith("lmtp:")) {
            throw new IllegalArgumentException("not an LMTP transport: " + transport);
        }
        String where = transport.substring("lmtp:".length());
        if (where.startsWith("unix:")) {
            Path socket = Path.of(where.substring("unix:".length()));
            if (!socket.isAbsolute()) {
                throw new IllegalArgumentException("an LMTP socket path is absolute: " + transport);
            }
            return new Unix(socket);
        }
        int colon = where.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("LMTP transport is lmtp:host:port or lmtp:unix:/path: " + transport);
        }
        String host = where.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(where.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + transport);
        }
        if (port < 1 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("bad LMTP address in " + transport);
        }
        return new Inet(host, port);
    }
}
