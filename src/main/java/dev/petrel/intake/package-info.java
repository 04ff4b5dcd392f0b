/**
 * The one door into the queue: it turns an accepted message into a queued one with the Received trace header,
 * Message-ID and Date for submissions, the hop count check, the DKIM signature of mail that starts here and the
 * Authentication-Results of mail from elsewhere, and the queue write that must finish before 250. May use
 * {@code mail}, {@code queue}, {@code mailauth}, {@code compliance} and {@code event}. In DESIGN.md's flow it sits
 * after the send policy, called by the SMTP server at the end of DATA or the last BDAT, by {@code sendmail}, and
 * (as the queue's {@code Door}) for bounces and alias forwards, whose copies to other servers {@code SealingDoor}
 * seals with ARC (RFC 8617) first; it alone writes {@code Queued} and tells the scheduler.
 */
package dev.petrel.intake;
