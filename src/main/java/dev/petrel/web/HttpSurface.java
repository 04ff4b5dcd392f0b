package dev.petrel.web;

import dev.petrel.account.Directory;
import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MessageLog;
import dev.petrel.queue.QueueActions;
import dev.petrel.tenant.IdempotencyKeys;
import dev.petrel.tenant.Tenancy;
import dev.petrel.webhook.WebhookOperations;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every route of the HTTP surface in one {@link Router}: the system routes, the admin API, and what later parts
 * (webhooks, the dashboard, the send API) add. The command line builds one from the running server's parts.
 */
public final class HttpSurface {

    /** What the routes need of the running server. */
    public record Parts(Directory directory, QueueActions queue, EventFeed feed, WebhookOperations webhooks,
                        Tenancy tenancy, Supplier<String> metrics, Supplier<List<String>> problems, Clock clock,
                        Consumer<String> log, DomainChecks domainChecks) {}

    /**
     * What the send API needs: the sending operation, the most messages of one batch, the idempotency keys and how
     * long they are kept, the message log with a way to wait until it has caught up with the feed, and the
     * unsubscribe links of the broadcast mail it sends (for their routes).
     */
    public record SendParts(Sending sending, int batchMessages, IdempotencyKeys idempotencyKeys,
                            Duration idempotencyWindow, MessageLog messageLog, CatchUp catchUp,
                            UnsubscribeLinks unsubscribe) {
        public SendParts(Sending sending, int batchMessages, IdempotencyKeys idempotencyKeys,
                         Duration idempotencyWindow, MessageLog messageLog, CatchUp catchUp) {
            this(sending, batchMessages, idempotencyKeys, idempotencyWindow, messageLog, catchUp,
                    UnsubscribeLinks.NONE);
        }
    }

    /** Waits until the message log has read every event written so far; true when it has within the time. */
    @FunctionalInterface
    public interface CatchUp {
        boolean await(Duration timeout) throws InterruptedException;
    }

    /** What the compliance routes need: the tenants' suppression lists and consent ledgers. */
    public record ComplianceParts(SuppressionList suppressions, ConsentLedger consents) {
        public ComplianceParts(SuppressionList suppressions) {
            this(suppressions, null);
        }
    }

    private HttpSurface() {}

    /** The routes without the send API (tests of the admin API). */
    public static Router router(Parts parts) {
        return router(parts, new SendParts(null, 0, null, Duration.ofDays(1), null, timeout -> true));
    }

    /** The routes without the compliance routes' parts (they are there, and answer nothing useful). */
    public static Router router(Parts parts, SendParts send) {
        return router(parts, send, new ComplianceParts(null));
    }

    /** The routes without ACME: its challenge route is there and answers 404 to every token. */
    public static Router router(Parts parts, SendParts send, ComplianceParts compliance) {
        return router(parts, send, compliance, token -> java.util.Optional.empty());
    }

    public static Router router(Parts parts, SendParts send, ComplianceParts compliance,
                                AcmeChallengeRoutes.Challenges acme) {
        Router router = new Router();
        Audit audit = new Audit(parts.log());
        new SystemRoutes(parts.feed(), parts.metrics(), () -> parts.problems().get()).addTo(router);
        new QueueRoutes(parts.queue(), parts.clock(), audit).addTo(router);
        new AccountRoutes(parts.directory(), audit).addTo(router);
        new DomainCheckRoutes(parts.domainChecks()).addTo(router);
        new WebhookRoutes(parts.webhooks(), audit).addTo(router);
        new TenantRoutes(parts.tenancy(), audit).addTo(router);
        new StreamRoutes(parts.tenancy(), audit).addTo(router);
        new MessageRoutes(send.sending(), send.batchMessages(),
                new Idempotency(send.idempotencyKeys(), parts.clock(), send.idempotencyWindow())).addTo(router);
        new MessageStatus(send.messageLog(), id -> parts.queue().find(id), send.catchUp()).addTo(router);
        new PostmarkRoutes(send.sending(), send.batchMessages(), parts.clock()).addTo(router);
        new SuppressionRoutes(compliance.suppressions(), audit).addTo(router);
        new ConsentRoutes(compliance.consents(), parts.tenancy(), parts.clock(), audit).addTo(router);
        new UnsubscribeRoutes(send.unsubscribe(), parts.feed(), parts.clock()).addTo(router);
        new AcmeChallengeRoutes(acme).addTo(router);
        return router;
    }
}
