package dev.petrel.delivery.remote;

import dev.petrel.smtp.client.Timeouts;
import java.security.KeyStore;

/**
 * How remote delivery connects and introduces itself.
 *
 * @param heloName Petrel's host name, sent with EHLO (RFC 5321 4.1.1.1)
 * @param port the TCP port of the remote hosts: {@code [delivery] remote_port}, 25 unless tests point it elsewhere
 * @param timeouts one per phase
 * @param trustStore the certificates that verify a server when TLS is required; null for the JDK's trust store
 * @param chunkSize the largest BDAT chunk in octets; 0 sends the message as one chunk
 */
public record RemoteSettings(String heloName, int port, Timeouts timeouts, KeyStore trustStore, int chunkSize) {

    /** RFC 5321 4.5.4.2 and RFC 5321 2.3.5: SMTP relays between servers on port 25. */
    public static final int DEFAULT_PORT = 25;

    public RemoteSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (timeouts == null || heloName == null) {
            throw new IllegalArgumentException("the EHLO name and the timeouts are needed");
        }
        if (chunkSize < 0) {
            throw new IllegalArgumentException("negative chunk size: " + chunkSize);
        }
    }

    /** Port 25, RFC 5321's timeouts, the JDK's trust store. */
    public static RemoteSettings of(String heloName) {
        return new RemoteSettings(heloName, DEFAULT_PORT, Timeouts.DEFAULTS, null, 0);
    }

    public RemoteSettings withPort(int newPort) {
        return new RemoteSettings(heloName, newPort, timeouts, trustStore, chunkSize);
    }

    public RemoteSettings withTimeouts(Timeouts newTimeouts) {
        return new RemoteSettings(heloName, port, newTimeouts, trustStore, chunkSize);
    }

    public RemoteSettings withTrustStore(KeyStore store) {
        return new RemoteSettings(heloName, port, timeouts, store, chunkSize);
    }
}
