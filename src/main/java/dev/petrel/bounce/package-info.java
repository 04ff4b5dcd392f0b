/**
 * RFC 3464 delivery status notifications, queued with the null sender: {@link dev.petrel.bounce.DsnBuilder}
 * turns a message's per-recipient outcomes ({@link dev.petrel.bounce.RecipientReport}) into a
 * multipart/report (RFC 6522) for bounces, delay notices and NOTIFY=SUCCESS reports, honouring RFC 3461
 * NOTIFY, RET, ENVID and ORCPT, and RFC 6533 for UTF-8 addresses. Uses {@code mail}, {@code queue} and
 * {@code event}; delivery calls it after a permanent failure, an expiry, a long delay or a relayed success.
 */
package dev.petrel.bounce;
