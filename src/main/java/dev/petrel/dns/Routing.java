package dev.petrel.dns;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;

/**
 * The outcome of routing a destination domain: a route, a permanent failure that bounces the recipients at once,
 * or a temporary one that defers them. Failures carry the reply that the delivery log and the DSN quote.
 */
public sealed interface Routing {

    // RFC 7505 4.1 (RFC 3463 registry): X.1.10 Recipient address has null MX
    EnhancedStatus NULL_MX = new EnhancedStatus(5, 1, 10);
    // RFC 3463 3.2: X.1.2 Bad destination system address
    EnhancedStatus BAD_DESTINATION_SYSTEM = new EnhancedStatus(5, 1, 2);
    // RFC 3463 3.5: X.4.3 Directory server failure
    EnhancedStatus DIRECTORY_SERVER_FAILURE = new EnhancedStatus(4, 4, 3);
    // RFC 3463 3.5: X.4.4 Unable to route
    EnhancedStatus UNABLE_TO_ROUTE = new EnhancedStatus(4, 4, 4);
    // RFC 3463 3.5: X.4.6 Routing loop detected
    EnhancedStatus ROUTING_LOOP = new EnhancedStatus(5, 4, 6);

    record Routed(Route route) implements Routing {}

    /** A permanent failure: the reply is a 5xx. */
    record Failed(Reply reply) implements Routing {
        public Failed {
            if (!reply.isPermanent()) {
                throw new IllegalArgumentException("a routing failure is a 5xx reply: " + reply);
            }
        }
    }

    /** A temporary failure: the reply is a 4xx. */
    record Deferred(Reply reply) implements Routing {
        public Deferred {
            if (!reply.isTransient()) {
                throw new IllegalArgumentException("a routing deferral is a 4xx reply: " + reply);
            }
        }
    }

    static Routing failed(int code, EnhancedStatus status, String text) {
        return new Failed(Reply.of(code, status, text));
    }

    static Routing deferred(EnhancedStatus status, String text) {
        return new Deferred(Reply.of(451, status, text));
    }
}
