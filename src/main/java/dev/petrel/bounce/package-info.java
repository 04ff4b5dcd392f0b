/**
 * RFC 3464 delivery status notifications, queued with the null sender: {@link dev.petrel.bounce.DsnBuilder} turns
 * a message's per-recipient outcomes ({@link dev.petrel.bounce.RecipientReport}) into a multipart/report (RFC
 * 6522) for bounces, delay notices and NOTIFY=SUCCESS reports, honouring RFC 3461 and RFC 6533. May use
 * {@code mail}, {@code queue} and {@code event}. In DESIGN.md's flow it is the "bounce" branch of delivery, called
 * after a permanent failure, an expiry, a long delay or a relayed success. The other direction too: reports that
 * receivers send back to the bounce domain ({@link dev.petrel.bounce.ReportParser}: DSNs and ARF complaints, RFC
 * 5965) become events in {@link dev.petrel.bounce.FeedbackReceiver}, the "bounce parser" of DESIGN.md's flow.
 */
package dev.petrel.bounce;
