/**
 * What keeps a tenant's sending within what recipients asked for and the law: today the one-click unsubscribe
 * links of broadcast mail ({@link dev.petrel.compliance.UnsubscribeLinks}: which mail gets them and the header
 * fields; {@link dev.petrel.compliance.UnsubscribeTokens}: the signed tokens, under the secret of
 * {@link dev.petrel.compliance.UnsubscribeSecret}); later suppression lists, the CASL consent ledger and evidence
 * export. May use {@code mail}, {@code tenant} and {@code event}. In the flow of DESIGN.md intake asks it for the
 * links before it signs, and the web's unsubscribe routes read the tokens back.
 */
package dev.petrel.compliance;
