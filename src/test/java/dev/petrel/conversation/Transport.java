package dev.petrel.conversation;

import java.io.IOException;

/** How a script reaches the server: a session in memory, or a socket over loopback. */
interface Transport extends AutoCloseable {

    /** Sends bytes as the client; what goes together here goes in one write. */
    void send(byte[] bytes) throws IOException;

    /**
     * The next reply line without its CRLF, or null once the server has closed the connection.
     *
     * @throws IOException also when no reply comes within the timeout
     */
    String readLine() throws IOException;

    /** The client side of the TLS handshake, after the server said 220 to STARTTLS. */
    void startTls() throws IOException;

    /** The client stays silent until the server's timeout for the current phase has passed. */
    void idle();

    @Override
    void close();
}
