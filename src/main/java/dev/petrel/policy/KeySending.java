package dev.petrel.policy;

import dev.petrel.compliance.Identification;
import dev.petrel.mail.Decision;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a client that authenticated with an API key (SMTP AUTH as user {@code apikey}; the session knows it as
 * {@code apikey:<id>}) may send: only from its tenant's domains, on its stream or one it may choose with
 * {@code X-Petrel-Stream}, labelled with {@code X-Petrel-Tag} and {@code X-Petrel-Metadata-NAME}. Those headers are
 * taken out before the message is signed and queued. The key is read again at each step, so a revoked key stops
 * at the next command.
 */
public final class KeySending {

    /** The prefix of every header that speaks to Petrel rather than to the recipient. */
    public static final String HEADER_PREFIX = "x-petrel-";
    private static final String STREAM = "X-Petrel-Stream";
    private static final String TAG = "X-Petrel-Tag";
    private static final String METADATA = "x-petrel-metadata-";

    private final Tenancy tenancy;
    private final SendLimits limits;

    /** What becomes of a message sent with a key, at the end of DATA. */
    public sealed interface Verdict {
        /** Goes on into the queue: the content without Petrel's headers, and who sent it on which stream. */
        record Accepted(SendContext context, byte[] content) implements Verdict {}

        record Refused(Reply reply) implements Verdict {}
    }

    /** Why a key may not send a message as asked (the send API says each in its own words). */
    public enum Denial {
        /** The envelope sender's or the From's domain is not one of the key's tenant. */
        SENDER_NOT_ALLOWED,
        /** The key may send on one stream only, and another was asked for. */
        STREAM_NOT_ALLOWED,
        /** The key's tenant has no stream of the name asked for. */
        UNKNOWN_STREAM,
        /** Broadcast mail of a tenant whose identification lacks what CASL 6(2) asks for (see {@link Identification}). */
        IDENTIFICATION_INCOMPLETE,
        /** The reputation guard paused the stream: it takes no new mail until it is resumed. */
        STREAM_PAUSED
    }

    /** What the send API may do with a key: send under this context, or not, and why. */
    public sealed interface Grant {
        record Granted(SendContext context) implements Grant {}

        record Denied(Denial denial, String message) implements Grant {}
    }

    /** Keys sending without limits. */
    public KeySending(Tenancy tenancy) {
        this(tenancy, null);
    }

    /** @param limits the tenants' and streams' rates and quotas; null for none */
    public KeySending(Tenancy tenancy, SendLimits limits) {
        this.tenancy = tenancy;
        this.limits = limits;
    }

    /** Whether the session's user is an API key rather than a user of the account store. */
    public static boolean isKey(String user) {
        return ApiKey.idOf(user).isPresent();
    }

    /** MAIL FROM: a key sends only from its tenant's domains, never with a null sender. */
    public Decision mailFrom(String identity, ReversePath sender) {
        Optional<ApiKey> key = key(identity);
        if (key.isEmpty()) {
            return new Decision.Reject(revoked());
        }
        if (sender.isNull()) {
            return new Decision.Reject(refusal("Sender address rejected: a null sender is not allowed for an API key"));
        }
        if (!tenancy.mayUseDomain(key.get(), sender.address().domain())) {
            return new Decision.Reject(notTenants(sender.address().domain(), key.get()));
        }
        return Decision.ACCEPT;
    }

    /**
     * The first recipient accepted in a transaction: a key of one stream the reputation guard paused is deferred
     * ({@code 451 4.7.1}, with the reason); the message against its tenant's rate and daily quota, and its
     * stream's when the key is made for one ({@code 451 4.7.1} when over; see {@link SendLimits}). A key that
     * may choose its stream has the stream's limits checked at the end of DATA, where the choice is known.
     */
    public Decision admit(String identity) {
        Optional<ApiKey> key = key(identity);
        if (key.isEmpty()) {
            return new Decision.Reject(revoked());
        }
        // a key of one stream that the reputation guard paused is told so at once, before the message is sent
        Optional<String> paused = Optional.ofNullable(key.get().stream())
                .flatMap(name -> tenancy.stream(key.get().tenant(), name)).flatMap(KeySending::pausedForReputation);
        if (paused.isPresent()) {
            return new Decision.Defer(pausedReply(paused.get()));
        }
        if (limits == null) {
            return Decision.ACCEPT;
        }
        return switch (limits.admit(key.get().tenant(), Optional.ofNullable(key.get().stream()), 1)) {
            case SendLimits.Admission.Admitted a -> Decision.ACCEPT;
            case SendLimits.Admission.Refused r -> new Decision.Defer(r.reply());
        };
    }

    /**
     * End of DATA: the From domain must be the tenant's too; the stream is the one asked for or the key's own.
     *
     * @param content the message as received, CRLF line breaks
     */
    public Verdict submission(String identity, byte[] content) {
        Optional<ApiKey> key = key(identity);
        if (key.isEmpty()) {
            return new Verdict.Refused(revoked());
        }
        HeaderSection fields = HeaderSection.read(content);
        Optional<Domain> from = fromDomain(fields);
        if (from.isEmpty()) {
            return new Verdict.Refused(refusal("Message refused: no readable From address"));
        }
        if (!tenancy.mayUseDomain(key.get(), from.get())) {
            return new Verdict.Refused(notTenants(from.get(), key.get()));
        }
        Optional<Stream> stream;
        try {
            stream = tenancy.streamFor(key.get(), first(fields, STREAM));
        } catch (IllegalArgumentException e) {
            return new Verdict.Refused(refusal("Message refused: " + e.getMessage()));
        }
        // a refusal for good before one for now: a paused stream's mail that could never go is not asked back
        Optional<String> unidentified = unidentified(key.get(), stream);
        if (unidentified.isPresent()) {
            return new Verdict.Refused(refusal("Message refused: " + unidentified.get()));
        }
        Optional<String> paused = stream.flatMap(KeySending::pausedForReputation);
        if (paused.isPresent()) {
            return new Verdict.Refused(pausedReply(paused.get()));
        }
        Optional<Reply> overStream = chosenStreamRefusal(key.get(), stream);
        if (overStream.isPresent()) {
            return new Verdict.Refused(overStream.get());
        }
        SendContext context = new SendContext(key.get().tenant().name(), stream.map(Stream::name).orElse(null),
                first(fields, TAG).orElse(null), metadata(fields));
        return new Verdict.Accepted(context, withoutPetrelHeaders(content, fields));
    }

    /**
     * CASL 6(2): a commercial message identifies its sender. Broadcast mail gets the tenant's identification in its
     * footer (compliance.UnsubscribeLinks), so a tenant whose identification lacks a part sends none; what is
     * missing, said for the client, when so.
     */
    private Optional<String> unidentified(ApiKey key, Optional<Stream> stream) {
        if (stream.isEmpty() || stream.get().kind() != Stream.Kind.BROADCAST) {
            return Optional.empty();
        }
        String text = tenancy.tenant(key.tenant()).map(t -> t.identification()).orElse("");
        List<Identification.Part> missing = Identification.missing(text);
        return missing.isEmpty() ? Optional.empty() : Optional.of("broadcast mail must identify its sender (CASL"
                + " 6(2)); tenant " + key.tenant() + "'s identification lacks: " + Identification.describe(missing)
                + " (petrel tenant set " + key.tenant() + " --identification TEXT)");
    }

    // a stream chosen by the message (the key's own was checked at RCPT) has its limits checked now
    private Optional<Reply> chosenStreamRefusal(ApiKey key, Optional<Stream> stream) {
        if (limits == null || key.scoped() || stream.isEmpty()) {
            return Optional.empty();
        }
        return switch (limits.admitOnStream(key.tenant(), stream.get().name(), 1)) {
            case SendLimits.Admission.Admitted a -> Optional.empty();
            case SendLimits.Admission.Refused r -> Optional.of(r.reply());
        };
    }

    /**
     * The send API's question, with the same rules as SMTP's: a key sends only with a sender and a From of its
     * tenant's domains, on its stream or one it may choose, labelled with a tag and metadata.
     *
     * @param stream the stream asked for; empty for the key's own (or none)
     */
    public Grant grant(ApiKey key, Domain sender, Domain from, Optional<String> stream, String tag,
                       Map<String, String> metadata) {
        for (Domain d : List.of(sender, from)) {
            if (!tenancy.mayUseDomain(key, d)) {
                return new Grant.Denied(Denial.SENDER_NOT_ALLOWED, d + " is not a domain of tenant " + key.tenant());
            }
        }
        if (stream.isPresent() && key.scoped() && !stream.get().equals(key.stream())) {
            return new Grant.Denied(Denial.STREAM_NOT_ALLOWED, "this API key may send only on stream "
                    + key.stream() + ", not " + stream.get());
        }
        Optional<Stream> chosen;
        try {
            chosen = tenancy.streamFor(key, stream);
        } catch (IllegalArgumentException e) {
            return new Grant.Denied(Denial.UNKNOWN_STREAM, e.getMessage());
        }
        Optional<String> unidentified = unidentified(key, chosen);
        if (unidentified.isPresent()) {
            return new Grant.Denied(Denial.IDENTIFICATION_INCOMPLETE, unidentified.get());
        }
        Optional<String> paused = chosen.flatMap(KeySending::pausedForReputation);
        if (paused.isPresent()) {
            return new Grant.Denied(Denial.STREAM_PAUSED, paused.get());
        }
        return new Grant.Granted(new SendContext(key.tenant().name(), chosen.map(Stream::name).orElse(null), tag,
                metadata));
    }

    /**
     * Why the stream takes no new mail, when the reputation guard paused it (mail of a stream an operator paused is
     * accepted and held, as before): its sender is to clean its list before sending more, not to queue it.
     */
    public static Optional<String> pausedForReputation(Stream stream) {
        if (stream.pause() == null) {
            return Optional.empty();
        }
        return Optional.of("stream " + stream.name() + " of tenant " + stream.tenant() + " is paused since "
                + stream.pause().at() + " for its reputation: " + stream.pause().summary() + "; it takes mail again"
                + " once resumed (petrel stream resume, or the admin API)");
    }

    // RFC 3463 X.7.1: delivery not authorized; temporary, so the client keeps the message until the stream resumes
    private static Reply pausedReply(String why) {
        return Reply.of(451, EnhancedStatus.DELIVERY_NOT_AUTHORIZED.withClass(4), "Message refused for now: " + why);
    }

    /**
     * A raw message's own labels ({@code X-Petrel-Stream}, {@code X-Petrel-Tag}, {@code X-Petrel-Metadata-NAME}) and
     * its content without them, as SMTP takes them from a message sent with a key.
     */
    public record Labels(Optional<String> stream, Optional<String> tag, Map<String, String> metadata,
                         Optional<Domain> from, byte[] content) {}

    /** The labels of a complete message, its From domain, and the message without Petrel's headers. */
    public static Labels labels(byte[] content) {
        HeaderSection fields = HeaderSection.read(content);
        return new Labels(first(fields, STREAM), first(fields, TAG), metadata(fields), fromDomain(fields),
                withoutPetrelHeaders(content, fields));
    }

    private Optional<ApiKey> key(String identity) {
        return ApiKey.idOf(identity).flatMap(tenancy::key);
    }

    private static Reply revoked() {
        return refusal("API key revoked");
    }

    private static Reply notTenants(Domain domain, ApiKey key) {
        return refusal("Sender address rejected: " + domain + " is not a domain of tenant " + key.tenant());
    }

    private static Reply refusal(String text) {
        return Reply.of(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, text);
    }

    private static Optional<String> first(HeaderSection fields, String name) {
        return fields.all(name).stream().map(f -> f.unfoldedValue().strip()).filter(v -> !v.isEmpty()).findFirst();
    }

    // X-Petrel-Metadata-NAME: VALUE, in their order; the name as the header spells it
    private static Map<String, String> metadata(HeaderSection fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (HeaderField f : fields.fields()) {
            if (f.lowerName().startsWith(METADATA) && f.name().length() > METADATA.length()) {
                out.putIfAbsent(f.name().substring(METADATA.length()), f.unfoldedValue().strip());
            }
        }
        return out;
    }

    /** The message without any {@code X-Petrel-*} field: they are for Petrel, never for the recipient. */
    static byte[] withoutPetrelHeaders(byte[] content, HeaderSection fields) {
        Set<String> names = new LinkedHashSet<>();
        for (HeaderField f : fields.fields()) {
            if (f.lowerName().startsWith(HEADER_PREFIX)) {
                names.add(f.lowerName());
            }
        }
        byte[] out = content;
        for (String name : names) {
            out = HeaderSection.read(out).without(name);
        }
        return out;
    }

    // RFC 5322 3.6.2: From holds a mailbox-list; the first mailbox's domain counts. Comments and display names are
    // passed over: the address is in angle brackets, or the whole value when there are none
    static Optional<Domain> fromDomain(HeaderSection fields) {
        List<HeaderField> from = fields.all("From");
        if (from.isEmpty()) {
            return Optional.empty();
        }
        String value = from.getFirst().unfoldedValue().replaceAll("\\([^()]*\\)", " ").strip();
        int open = value.indexOf('<');
        int close = open >= 0 ? value.indexOf('>', open) : -1;
        String address = close > open ? value.substring(open + 1, close) : value.split(",")[0];
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Domain.parse(address.substring(at + 1).strip().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
