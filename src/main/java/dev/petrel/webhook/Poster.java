package dev.petrel.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** POSTs a JSON body to a URL and answers the HTTP status; redirects are not followed. */
@FunctionalInterface
public interface Poster {

    /**
     * @throws IOException when no status came: refused, reset, timed out
     */
    int post(URI url, Map<String, String> headers, String body, Duration timeout) throws IOException,
            InterruptedException;
}
