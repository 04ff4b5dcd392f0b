package dev.petrel.webhook;

/**
 * Told of every delivery attempt's result, for metrics ({@code petrel_webhook_deliveries_total{result}}).
 * Implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface WebhookResults {

    /** A 2xx acknowledged the event. */
    String DELIVERED = "delivered";
    /** The attempt failed (a non-2xx status, a timeout, a refused connection); it will be tried again. */
    String FAILED = "failed";
    /** The attempt failed and the retry period is over: the event is dropped for that endpoint. */
    String DROPPED = "dropped";
    /** The target no longer passes the checks (it resolves to a private address). */
    String REFUSED = "refused";

    void delivered(String result);

    WebhookResults NONE = result -> { };
}
