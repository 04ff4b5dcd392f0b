/**
 * What keeps a tenant's sending within what recipients asked for and the law: today the suppression lists
 * ({@link dev.petrel.compliance.Suppressions}, kept in SQL by {@code store}; {@link dev.petrel.compliance.SuppressionList},
 * the operations the command line, the APIs and the send policy share; {@link dev.petrel.compliance.SuppressionWriter},
 * which adds what hard bounces, complaints and unsubscribes in the event feed say); later the CASL consent ledger,
 * unsubscribe tokens and evidence export. May use {@code mail}, {@code tenant} and {@code event}. In the flow of
 * DESIGN.md it is asked by the send policy before a message enters the queue, and fed by the event feed after.
 */
package dev.petrel.compliance;
