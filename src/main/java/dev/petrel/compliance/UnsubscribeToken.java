package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import java.time.LocalDate;

/**
 * What an unsubscribe link names: the tenant and stream a message went out on, the recipient it was sent to, the
 * message's queue id, and the day it was sent (its link stays valid for a configured time after).
 */
public record UnsubscribeToken(TenantId tenant, String stream, Address recipient, String messageId, LocalDate issued) {}
