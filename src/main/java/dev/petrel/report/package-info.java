/**
 * Daily reports to other domains: TLS reports (RFC 8460) of outbound TLS results, built from the counts that
 * delivery records, sent once per UTC day to each domain's {@code rua} (mail through intake, or an HTTPS POST), with
 * a durable record of what was sent; a small scheduler that other daily reports (DMARC aggregates) can share. May use
 * {@code mail}, {@code dns}, {@code intake} and {@code delivery}. In DESIGN.md's flow it sits beside delivery, and
 * enters the queue through intake as any mail made here does.
 */
package dev.petrel.report;
