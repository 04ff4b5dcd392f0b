package dev.petrel.web;

import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import java.util.Optional;

/**
 * Whether a domain is ready to send, as {@code petrel domain check} tells it; the command line gives an
 * implementation on the DNS and the configured egresses.
 */
@FunctionalInterface
public interface DomainChecks {

    /**
     * The domain's checklist, or empty when the caller may not see the domain: for an operator ({@code tenant}
     * empty) any domain Petrel has; for a tenant only its own, so that another's answers as a missing one does.
     */
    Optional<Checklist> check(Optional<TenantId> tenant, Domain domain);
}
