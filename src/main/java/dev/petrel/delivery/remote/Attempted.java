package dev.petrel.delivery.remote;

import dev.petrel.mail.RecipientOutcome;

/**
 * One recipient's outcome and the host that decided it: the host that answered, or, when no host could be
 * reached, the last one tried. The delivery log writes it as {@code relay=host[ip]:port}.
 *
 * @param host the host's name, as the route gives it
 * @param ip its address as text
 * @param answered false when no connection could be made to any host (the host is then the last one tried)
 */
public record Attempted(RecipientOutcome outcome, String host, String ip, int port, boolean answered) {

    /** Postfix's form: {@code mx.example.com[192.0.2.1]:25}, or {@code none} when no host answered. */
    public String relay() {
        return answered ? host + "[" + ip + "]:" + port : "none";
    }
}
