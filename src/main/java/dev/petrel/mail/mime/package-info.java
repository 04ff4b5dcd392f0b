/**
 * Composing MIME (RFC 2045-2049) from a structured message: the {@link dev.petrel.mail.mime.Composer} turns a
 * {@link dev.petrel.mail.mime.Draft} (from, to, cc, bcc, subject, text, html, extra headers, attachments) into the
 * octets of an RFC 5322 message and the recipients of its envelope, and {@link dev.petrel.mail.mime.AddressList}
 * reads the address lists of RFC 5322 3.4 that Postmark's API sends as strings. It may use its parent {@code mail}
 * and nothing else of Petrel's. In DESIGN.md's message flow it is "compose (JSON to MIME)", called by {@code web}
 * before the send policy and intake.
 */
package dev.petrel.mail.mime;
