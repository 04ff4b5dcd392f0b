package dev.petrel.compliance;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.mime.EncodedWords;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Requests to unsubscribe, however they come: a one-click POST to a message's link (RFC 8058), or mail to the
 * mailto form of its List-Unsubscribe (RFC 2369) with the token as its subject. Either way a current token of ours
 * becomes one {@code message.unsubscribed} event, on stable storage before the requester is answered; the
 * suppression writer suppresses the recipient on the token's stream from it.
 */
public final class UnsubscribeRequests {

    // a subject is read for a token in its first words only: a client may put "Re:" or "unsubscribe" before it
    private static final int WORDS = 8;

    private final UnsubscribeLinks links;
    private final EventFeed feed;
    private final Clock clock;

    public UnsubscribeRequests(UnsubscribeLinks links, EventFeed feed, Clock clock) {
        this.links = links;
        this.feed = feed;
        this.clock = clock;
    }

    /** Whether mail to the address is a request by mail: the mailto form's address (local part in any case). */
    public boolean isMailbox(Address to) {
        return links.mailbox().filter(m -> m.domain().equals(to.domain())
                && m.localPart().equalsIgnoreCase(to.localPart())).isPresent();
    }

    /** Unsubscribes the recipient a token names; returns once the event is on stable storage. */
    public void unsubscribe(UnsubscribeToken token) throws IOException {
        feed.record(new MailEvent.Unsubscribed(clock.instant(), new QueueId(token.messageId()),
                token.recipient().toString(), new SendContext(token.tenant().name(), token.stream(), null, Map.of())));
    }

    /** Unsubscribes the recipient the token names when it is a current one of ours; what it named. */
    public Optional<UnsubscribeToken> unsubscribe(String token) throws IOException {
        Optional<UnsubscribeToken> named = links.read(token);
        if (named.isPresent()) {
            unsubscribe(named.get());
        }
        return named;
    }

    /**
     * Mail to the mailto address: the first word of its Subject (unfolded, RFC 2047 encoded words decoded) that is
     * a current token unsubscribes what it names. Empty when there is none (no Subject, a client that dropped it, a forged or expired token).
     */
    public Optional<UnsubscribeToken> unsubscribeByMail(byte[] mail) throws IOException {
        for (HeaderField subject : HeaderSection.read(mail).all("Subject")) {
            // a client may have written a long token as encoded words (Python's email package splits it in two)
            String[] words = EncodedWords.decode(subject.unfoldedValue()).strip().split("\\s+");
            for (String word : Arrays.copyOf(words, Math.min(words.length, WORDS))) {
                Optional<UnsubscribeToken> named = unsubscribe(word);
                if (named.isPresent()) {
                    return named;
                }
            }
        }
        return Optional.empty();
    }
}
