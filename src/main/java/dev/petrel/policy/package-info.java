/**
 * The send policy as it stands today: who may relay (never an open relay), which senders an authenticated user
 * may use, what a client authenticated with an API key may send and on which tenant's stream ({@code KeySending}),
 * which recipients its tenant suppresses ({@code SuppressionCheck}), which recipients of broadcast mail lack consent
 * ({@code ConsentCheck}) and whether its tenant identifies itself as CASL 6(2) asks ({@code KeySending}), each tenant's and stream's rate and daily quota
 * ({@code SendLimits}, one decision per message for SMTP and the send API alike), and the limits on connections and
 * failed AUTH attempts. May use {@code mail}, {@code account}, {@code tenant}, {@code compliance} and {@code event}.
 * In DESIGN.md's flow it decides between the SMTP session
 * and intake, one decision per recipient.
 */
package dev.petrel.policy;
