/**
 * What keeps a tenant's sending within what recipients asked for and the law: the suppression lists
 * ({@link dev.petrel.compliance.Suppressions}, kept in SQL by {@code store}; {@link dev.petrel.compliance.SuppressionList},
 * the operations the command line, the APIs and the send policy share; {@link dev.petrel.compliance.SuppressionWriter},
 * which adds what hard bounces, complaints and unsubscribes in the event feed say); the one-click unsubscribe links
 * of broadcast mail ({@link dev.petrel.compliance.UnsubscribeLinks}: which mail gets them and the header fields,
 * with a mailto form on the bounce domain; {@link dev.petrel.compliance.UnsubscribeTokens}: the signed tokens, under
 * the secret of {@link dev.petrel.compliance.UnsubscribeSecret}; {@link dev.petrel.compliance.UnsubscribeRequests}:
 * a one-click POST or mail to the mailto address, made a {@code message.unsubscribed} event); the CASL consent
 * ledger ({@link dev.petrel.compliance.Consent} records, kept by {@link dev.petrel.compliance.Consents};
 * {@link dev.petrel.compliance.ConsentRule}, the validity rule; {@link dev.petrel.compliance.ConsentLedger}, the
 * operations, told by intake of each broadcast copy through {@link dev.petrel.compliance.BroadcastLog};
 * {@link dev.petrel.compliance.ConsentWriter}, unsubscribes as withdrawals; {@link dev.petrel.compliance.ConsentExport},
 * the evidence) and the sender identification CASL 6(2) asks of commercial mail
 * ({@link dev.petrel.compliance.Identification}); the reputation guard
 * ({@link dev.petrel.compliance.ReputationGuard}, a reader of the event feed that pauses a stream whose hard bounces
 * or complaints are over their thresholds, its counts kept in {@link dev.petrel.compliance.ReputationCounts}). May use
 * {@code mail}, {@code tenant} and {@code event}. In the flow of DESIGN.md it is asked by the send policy before a
 * message enters the queue, by intake for the links before it signs, and fed by the event feed after.
 */
package dev.petrel.compliance;
