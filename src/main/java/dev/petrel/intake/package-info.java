/**
 * Turns an accepted SMTP transaction into a queued message: the Received trace header, Message-ID and Date
 * for submissions, the hop count check, and the write to the queue that must finish before 250. Uses
 * {@code mail}, {@code queue}, {@code mailauth} (signing, later) and {@code event}. The server calls it at
 * the end of DATA or the last BDAT.
 */
package dev.petrel.intake;
