package dev.petrel.delivery.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/** One address of one host of a route, and the port: what a connection goes to. */
record Endpoint(String host, InetAddress address, int port) {

    String ip() {
        return address.getHostAddress();
    }

    /** The name the certificate is checked against and sent as SNI: the MX host name, without a trailing dot. */
    String serverName() {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return name.toLowerCase(Locale.ROOT);
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    String relay() {
        return host + "[" + ip() + "]:" + port;
    }
}
