package dev.petrel.web;

import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What came of one message handed to {@link Sending}: queued (some recipients accepted, perhaps some refused), not
 * sent (every recipient refused), or refused as a whole (the {@link Problem} says why). The send API and the
 * Postmark-compatible API render these in their own words.
 */
public sealed interface SendOutcome {

    /** On stable storage under {@code id}; each recipient's result, accepted ones and refused ones. */
    record Sent(QueueId id, List<RecipientResult> recipients) implements SendOutcome {
        public Sent {
            recipients = List.copyOf(recipients);
        }
    }

    /** Nothing was queued: every recipient was refused. */
    record NotSent(List<RecipientResult> recipients) implements SendOutcome {
        public NotSent {
            recipients = List.copyOf(recipients);
        }

        /** The longest wait a rate-limited recipient was told of; null when none was rate limited. */
        public Duration retryAfter() {
            Duration longest = null;
            for (RecipientResult r : recipients) {
                if (r instanceof RecipientResult.Refused f && f.retryAfter() != null
                        && (longest == null || f.retryAfter().compareTo(longest) > 0)) {
                    longest = f.retryAfter();
                }
            }
            return longest;
        }
    }

    /** The message as a whole was refused; nothing was queued. */
    record Refused(Problem problem) implements SendOutcome {}

    /** What became of one recipient. */
    sealed interface RecipientResult {
        /** The recipient as the request wrote it. */
        String address();

        /** Queued for this recipient under the message's id. */
        record Accepted(Address to, QueueId id) implements RecipientResult {
            @Override
            public String address() {
                return to.toString();
            }
        }

        /**
         * Not sent to this recipient.
         *
         * @param retryAfter when a {@link Refusal#RATE_LIMITED} recipient may be tried again; null otherwise
         */
        record Refused(String address, Refusal reason, String message, Duration retryAfter)
                implements RecipientResult {
            public Refused(String address, Refusal reason, String message) {
                this(address, reason, message, null);
            }
        }
    }

    /** Why one recipient was not sent to. */
    enum Refusal {
        /** Not an address (RFC 5321 4.1.2), or one with a non-ASCII local part. */
        INVALID_ADDRESS,
        /** This server refused it, as SMTP would at RCPT (an unknown user of a local domain). */
        RECIPIENT_REJECTED,
        /** On the tenant's (or stream's) suppression list. */
        SUPPRESSED,
        /** Broadcast mail without consent on record (CASL section 6), or only one that does not cover it. */
        NO_CONSENT,
        /** Broadcast mail whose recipient's implied consent has run out (CASL 10(10): two years, six months). */
        CONSENT_EXPIRED,
        /** Broadcast mail to a recipient who withdrew consent (an unsubscribe, a request) and gave none since. */
        CONSENT_WITHDRAWN,
        /** Over a rate or quota; try again after {@code retryAfter}. */
        RATE_LIMITED;

        /** As the API writes it: {@code invalid_address}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Why a message was refused as a whole.
     *
     * @param retryAfter when it may be sent again (rate limited, storage full, unavailable); null otherwise
     */
    record Problem(Kind kind, String message, Duration retryAfter) {

        public Problem(Kind kind, String message) {
            this(kind, message, null);
        }

        /** The kinds of refusal of a whole message. */
        public enum Kind {
            /** A field the composer refuses, or a raw message that is not one; the message names the field. */
            INVALID_MESSAGE,
            /** The envelope sender's or the From's domain is not the key's tenant's. */
            SENDER_NOT_ALLOWED,
            /** The key may not send on the stream asked for. */
            STREAM_NOT_ALLOWED,
            /** The key's tenant has no such stream. */
            UNKNOWN_STREAM,
            /** Broadcast mail of a tenant whose identification lacks a name, mailing address or contact (CASL 6(2)). */
            IDENTIFICATION_INCOMPLETE,
            /** More recipients than {@code [limits] recipients}. */
            TOO_MANY_RECIPIENTS,
            /** Larger than {@code [limits] message_size}. */
            MESSAGE_TOO_LARGE,
            /** Over the tenant's or stream's rate or quota. */
            RATE_LIMITED,
            /** The reputation guard paused the stream; the message says why and since when. */
            STREAM_PAUSED,
            /** The queue's disk is full (intake's 452 4.3.1). */
            INSUFFICIENT_STORAGE,
            /** The queue cannot take it now (intake's other 4xx). */
            UNAVAILABLE,
            /** Intake refused it for good (a mail loop: too many Received fields). */
            MESSAGE_REFUSED;

            /** As the API writes it: {@code sender_not_allowed}. */
            public String code() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }
}
