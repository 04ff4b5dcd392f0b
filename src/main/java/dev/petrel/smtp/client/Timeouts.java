package dev.petrel.smtp.client;

import dev.petrel.smtp.client.ClientPhase;
import java.time.Duration;

/**
 * How long the client waits in each phase of a session, as RFC 5321 4.5.3.2 lists them. The RFC names no timeout
 * for EHLO, STARTTLS, the TLS handshake or QUIT: EHLO is timed like the greeting's peers (5 minutes), STARTTLS and
 * the handshake by {@code ehlo}, QUIT by {@code mail}.
 *
 * @param connect opening the TCP connection
 * @param greeting the 220 greeting (4.5.3.2.1: 5 minutes)
 * @param ehlo the reply to EHLO or HELO, STARTTLS and the TLS handshake
 * @param mail the reply to MAIL, RSET and QUIT (4.5.3.2.2: 5 minutes)
 * @param rcpt the reply to each RCPT (4.5.3.2.3: 5 minutes)
 * @param dataInit the 354 after DATA (4.5.3.2.4: 2 minutes)
 * @param dataBlock each write of message content (4.5.3.2.5: 3 minutes)
 * @param finalDot the reply to the final dot or last BDAT (4.5.3.2.6: 10 minutes)
 */
public record Timeouts(Duration connect, Duration greeting, Duration ehlo, Duration mail, Duration rcpt,
        Duration dataInit, Duration dataBlock, Duration finalDot) {

    /** RFC 5321 4.5.3.2's values, and 30 seconds to connect (Postfix's smtp_connect_timeout). */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2),
            Duration.ofMinutes(3), Duration.ofMinutes(10));

    public Timeouts {
        for (Duration d : new Duration[] {connect, greeting, ehlo, mail, rcpt, dataInit, dataBlock, finalDot}) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a timeout is positive and under 24 days: " + d);
            }
        }
    }

    /** The same timeout for every phase: for tests. */
    public static Timeouts uniform(Duration each) {
        return new Timeouts(each, each, each, each, each, each, each, each);
    }

    /** The timeout for the reply (or the write) awaited in {@code phase}. */
    public Duration of(ClientPhase phase) {
        return switch (phase) {
            case GREETING -> greeting;
            case EHLO, STARTTLS, TLS_HANDSHAKE -> ehlo;
            case MAIL, QUIT, READY, CLOSED -> mail;
            case RCPT -> rcpt;
            case DATA_INIT -> dataInit;
            case DATA_BLOCK -> dataBlock;
            case FINAL_DOT -> finalDot;
        };
    }
}
