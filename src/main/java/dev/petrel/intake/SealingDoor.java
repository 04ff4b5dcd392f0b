package dev.petrel.intake;

import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.LineLimit;
import dev.petrel.mail.QueueId;
import dev.petrel.mailauth.ArcSealer;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.mailauth.DkimKeys;
import dev.petrel.queue.Door;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The door for mail made here, sealing the copies that aliases forward to other servers (RFC 8617 5.1): the
 * Authentication-Results that intake wrote when the message arrived on mx become the ARC-Authentication-Results,
 * signed with a DKIM key of the alias's domain, so that the receiver can see what the message was like here
 * before the forward broke its SPF (and perhaps DKIM). A domain without a key forwards unsealed, said once in the
 * log; a message that did not arrive from elsewhere (a submission) carries no results of ours and is not sealed.
 */
public final class SealingDoor implements Door {

    private final Door door;
    private final DkimKeys keys;
    private final String hostname;
    private final Clock clock;
    private final Consumer<String> log;
    private final Set<Domain> told = ConcurrentHashMap.newKeySet();

    /**
     * @param door where the copies go, sealed or not (intake)
     * @param hostname the authserv-id of our Authentication-Results fields
     * @param log takes the line that says a domain has no key to seal with
     */
    public SealingDoor(Door door, DkimKeys keys, String hostname, Clock clock, Consumer<String> log) {
        this.door = door;
        this.keys = keys;
        this.hostname = hostname;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public QueueId enqueue(Envelope envelope, byte[] head, byte[] body) throws IOException {
        return door.enqueue(envelope, head, body);
    }

    @Override
    public QueueId forward(Envelope envelope, Domain via, byte[] head, byte[] body) throws IOException {
        // the lines made to fit first, so that the seal covers the message as it leaves
        byte[] content = LineLimit.enforce(body);
        Optional<DkimKey> key = ArcSealer.keyOf(keys.activeFor(via));
        if (key.isEmpty()) {
            if (told.add(via)) {
                log.accept("arc=unsealed domain=" + via.name() + " reason=\"the domain has no active DKIM key;"
                        + " forwarded mail leaves without an ARC seal\"");
            }
            return door.enqueue(envelope, head, content);
        }
        byte[] message = concat(head, content);
        return switch (ArcSealer.seal(message, hostname, key.get(), clock.instant())) {
            case ArcSealer.Outcome.Sealed s -> door.enqueue(envelope, concat(s.fields(), head), content);
            case ArcSealer.Outcome.Unsealed u -> door.enqueue(envelope, head, content);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
