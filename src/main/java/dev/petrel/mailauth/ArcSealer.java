package dev.petrel.mailauth;

import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds an ARC Set to a message that an intermediary sends on (RFC 8617 5.1): the ARC-Authentication-Results
 * carries the results that the intermediary's own Authentication-Results field recorded when the message arrived,
 * the ARC-Message-Signature signs the message as DKIM would (relaxed/relaxed), and the ARC-Seal signs the chain
 * with the chain validation status found on arrival (the arc= result of that field).
 */
public final class ArcSealer {

    // the arc method's result in an Authentication-Results field (RFC 8617 10.1)
    private static final Pattern ARC_RESULT = Pattern.compile("(?:^|;)\\s*arc\\s*=\\s*([A-Za-z]+)");

    private ArcSealer() {}

    /** What sealing came to: the ARC Set to put on top of the message, or why there is none. */
    public sealed interface Outcome {

        /** @param fields AS, AMS and AAR, in that order, each with its CRLF */
        record Sealed(byte[] fields, int instance, ArcResult.Status cv) implements Outcome {}

        record Unsealed(String reason) implements Outcome {}
    }

    /** The key a domain seals with: RSA when it has one, which every ARC verifier knows, else its first. */
    public static Optional<DkimKey> keyOf(List<DkimKey> keys) {
        return keys.stream().filter(k -> k.algorithm() == DkimAlgorithm.RSA_SHA256).findFirst()
                .or(() -> keys.stream().findFirst());
    }

    /**
     * The ARC Set for {@code message} (complete, as it will be sent under the new fields), with the results of the
     * topmost Authentication-Results field of {@code authservId}.
     */
    public static Outcome seal(byte[] message, String authservId, DkimKey key, Instant now) {
        HeaderSection section = HeaderSection.read(message);
        HeaderField ours = AuthenticationResults.first(section, authservId).orElse(null);
        if (ours == null) {
            return new Outcome.Unsealed("no Authentication-Results of " + authservId + " to carry");
        }
        ArcChain chain = ArcChain.read(section);
        // RFC 8617 5.1 step 1: after a seal that says cv=fail there is nothing to add
        if (ArcChain.newestCv(section).equals("fail")) {
            return new Outcome.Unsealed("the chain was failed by an earlier sealer");
        }
        int instance = chain.highestSeen() + 1;
        if (instance > ArcChain.MAX_INSTANCE) {
            // RFC 8617 4.2.1: no more than 50 sets
            return new Outcome.Unsealed("the chain has " + ArcChain.MAX_INSTANCE + " sets already");
        }
        ArcResult.Status cv = chainStatus(chain, ours);
        if (cv == null) {
            return new Outcome.Unsealed("no arc result for the chain in " + authservId + "'s Authentication-Results");
        }
        return new Outcome.Sealed(fields(section, message, chain, ours, cv, instance, key, now), instance, cv);
    }

    // RFC 8617 5.1.1 and 5.2: cv=none with no chain; else as the arrival's validation found it (none there is no
    // answer); a chain whose fields make no chain fails
    private static ArcResult.Status chainStatus(ArcChain chain, HeaderField ours) {
        if (chain.empty()) {
            return ArcResult.Status.NONE;
        }
        if (chain.broken() != null) {
            return ArcResult.Status.FAIL;
        }
        Matcher m = ARC_RESULT.matcher(ours.unfoldedValue().replaceAll("\\([^)]*\\)", " "));
        ArcResult.Status found = m.find() ? ArcResult.Status.of(m.group(1)) : null;
        return found == ArcResult.Status.NONE ? null : found;
    }

    private static byte[] fields(HeaderSection section, byte[] message, ArcChain chain, HeaderField ours,
                                 ArcResult.Status cv, int instance, DkimKey key, Instant now) {
        String common = "a=" + key.algorithm().tag() + "; d=" + key.domain().name() + "; s=" + key.selector()
                + "; t=" + now.getEpochSecond() + ";";
        // RFC 8617 4.1.1: "i=" instance ";" then the authserv-id and results as the arrival recorded them
        String aar = "ARC-Authentication-Results: i=" + instance + ";" + ours.value();
        StringBuilder signed = new StringBuilder();
        List<String> names = DkimSigner.selected(section.fields(), signed);
        String ams = DkimSigner.completed("ARC-Message-Signature: i=" + instance + "; " + common
                + " c=relaxed/relaxed;\r\n\th=" + String.join(":", names) + ";\r\n\tbh="
                + DkimSigner.bodyHash(message, section.bodyStart()) + ";\r\n\tb=", signed, key);
        // RFC 8617 5.1.2: a failed chain's new seal covers its own set only, as if it were the first
        StringBuilder chained = cv == ArcResult.Status.FAIL ? new StringBuilder() : chain.setsUpTo(chain.highest());
        chained.append(Canonical.relaxedHeader(field(aar + "\r\n"))).append(Canonical.relaxedHeader(field(ams)));
        String seal = DkimSigner.completed("ARC-Seal: i=" + instance + "; cv=" + cv.value() + "; " + common
                + "\r\n\tb=", chained, key);
        return (seal + ams + aar + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static HeaderField field(String withCrlf) {
        String raw = withCrlf.substring(0, withCrlf.length() - 2);
        return new HeaderField(raw.substring(0, raw.indexOf(':')).toLowerCase(Locale.ROOT),
                raw.getBytes(StandardCharsets.UTF_8));
    }
}
