package dev.petrel.web;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard's webhooks page shows of the webhook dispatcher: each endpoint, whether it is enabled, its
 * failures, and the deliveries waiting for a retry. The command line connects the dispatcher here.
 */
@FunctionalInterface
public interface WebhookStatus {

    /** No webhooks: what the page shows until the dispatcher is connected. */
    WebhookStatus NONE = List::of;

    /**
     * One endpoint.
     *
     * @param disabledReason why it was disabled (it kept failing), or null while it is enabled
     * @param failures deliveries that failed in a row
     * @param pending deliveries waiting for their next try
     * @param lastError the last failure, or null
     * @param lastFailure when it failed last, or null
     */
    record Endpoint(String id, String tenant, String url, List<String> events, String disabledReason, long failures,
                    long pending, String lastError, Instant lastFailure) {
        public Endpoint {
            events = List.copyOf(events);
        }
    }

    List<Endpoint> endpoints();
}
