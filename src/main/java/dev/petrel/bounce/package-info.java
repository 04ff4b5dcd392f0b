/**
 * RFC 3464 delivery status notifications, queued with the null sender: {@link dev.petrel.bounce.DsnBuilder} turns
 * a message's per-recipient outcomes ({@link dev.petrel.bounce.RecipientReport}) into a multipart/report (RFC
 * 6522) for bounces, delay notices and NOTIFY=SUCCESS reports, honouring RFC 3461 and RFC 6533. And the
 * classification of failures: {@link dev.petrel.bounce.Classifier} gives a reply its
 * {@link dev.petrel.mail.BounceClass} from ordered rules on its enhanced status code and text (the shipped
 * {@code rules.toml}, after the operator's, read by {@link dev.petrel.bounce.BounceRules}), and the same files'
 * {@code [[throttle]]} tables ({@link dev.petrel.bounce.Throttles}), which delivery asks whether a deferral
 * suspends or slows its site. May use {@code mail},
 * {@code queue} and {@code event}. In DESIGN.md's flow it is the "bounce" branch of delivery, called after a
 * permanent failure, an expiry, a long delay or a relayed success, and the "classified" of each outcome. The other
 * direction too: reports that receivers send back to the bounce domain ({@link dev.petrel.bounce.ReportParser}:
 * DSNs and ARF complaints, RFC 5965) become events in {@link dev.petrel.bounce.FeedbackReceiver}, the "bounce
 * parser" of DESIGN.md's flow, which hands mail to the bounce domain's unsubscribe address to its
 * {@link dev.petrel.bounce.FeedbackReceiver.Requests} (compliance's, wired by the command line).
 */
package dev.petrel.bounce;
