package dev.petrel.compliance;

import dev.petrel.mail.TenantId;
import java.time.Instant;

/**
 * A broadcast message sent to a recipient, and the consent record it relied on: what the evidence export shows
 * beside the records, so that a tenant can prove each commercial message had consent when it was sent.
 *
 * @param messageId the queue id of the recipient's copy
 * @param recipient as {@link Consent#key} writes it
 * @param consentId the record relied on; 0 when none held (consent withdrawn between the check and the queue)
 */
public record ConsentUse(TenantId tenant, String messageId, String recipient, String stream, long consentId,
                         Instant at) {}
