package dev.petrel.policy;

import java.net.InetAddress;

/**
 * Who is asking: the client's address and the user it authenticated as (null if none).
 */
public record Client(InetAddress address, String user) {

    public boolean authenticated() {
        return user != null;
    }
}
