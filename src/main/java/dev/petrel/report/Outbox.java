package dev.petrel.report;

import dev.petrel.mail.Address;
import java.io.IOException;
import java.net.URI;

/** How reports leave: as mail into the queue, or posted over HTTPS. */
public interface Outbox {

    /** Queues a message from {@code from} to {@code to}; {@link IOException} when it was refused. */
    void mail(Address from, Address to, byte[] message) throws IOException;

    /** POSTs the body; {@link IOException} unless the answer is a 2xx. */
    void post(URI url, String contentType, byte[] body) throws IOException;
}
