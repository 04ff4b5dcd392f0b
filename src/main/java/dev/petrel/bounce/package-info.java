/**
 * RFC 3464 delivery status notifications, queued with the null sender. Uses {@code mail}, {@code queue} and
 * {@code event}. Delivery calls it for permanent failures and expiry. Empty until the relay issue.
 */
package dev.petrel.bounce;
