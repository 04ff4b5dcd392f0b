/**
 * The HTTP admin API, metrics and the dashboard. Uses {@code mail}, {@code queue}, {@code account} and
 * {@code event}. Empty until the observability issue.
 */
package dev.petrel.admin;
