/**
 * The words of DMARC aggregate reporting (RFC 7489 7.2): the policy a domain published, one message's verdict as
 * a receiver records it, the rows a day's verdicts add up to, and {@link dev.petrel.mail.dmarc.DmarcAggregates},
 * the store that keeps them with the reports sent. Intake records verdicts through it, {@code mailauth} writes
 * the report from its rows, {@code store} keeps them in SQL. May use only {@code mail}.
 */
package dev.petrel.mail.dmarc;
