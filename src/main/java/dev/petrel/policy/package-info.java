/**
 * Decisions at each step of a session: who may relay (never an open relay), which senders an authenticated
 * user may use, and the limits on connections and failed AUTH attempts. Uses {@code mail}, {@code account}
 * and {@code event}. The server asks it between the SMTP session and intake.
 */
package dev.petrel.policy;
