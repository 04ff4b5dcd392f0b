package dev.petrel.mail;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What kind of failure a remote reply reports (and, later, an inbound DSN or a complaint): what a sender should do
 * about the recipient. The bounce classifier decides it from the enhanced status code and the reply's text; events,
 * log lines and metrics carry it by its {@link #label()}.
 */
public enum BounceClass {
    /** The address is gone for good: no such user or domain, a disabled mailbox. */
    HARD,
    /** A passing trouble of the recipient's: a full mailbox, a server that is down or busy. */
    SOFT,
    /** Refused for policy or reputation: spam, a blocklist, the sender's address or network. */
    BLOCK,
    /** Slow down: rate limits, too many connections, deferrals for the volume sent. */
    THROTTLE,
    /** The message failed authentication: SPF, DKIM, DMARC, ARC, reverse DNS. */
    AUTH,
    /** The message itself was refused: its size, its content, an attachment, its format. */
    CONTENT,
    /** Nothing said which. */
    UNDETERMINED;

    /** The class as events, logs and metrics write it: {@code hard}, {@code throttle}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class with this label. */
    public static BounceClass parse(String label) {
        for (BounceClass c : values()) {
            if (c.label().equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected one of " + labels() + ", got \"" + label + "\"");
    }

    /** Every label, in order: "hard, soft, ...". */
    public static String labels() {
        return Arrays.stream(values()).map(BounceClass::label).collect(Collectors.joining(", "));
    }
}
