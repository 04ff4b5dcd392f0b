package dev.petrel.mailauth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What Petrel checks on mail from elsewhere: the DKIM signatures (RFC 6376), SPF for the MAIL FROM or HELO
 * identity (RFC 7208), and DMARC (RFC 7489) for the From domain, written as one Authentication-Results field
 * (RFC 8601), with the message's Authenticated Received Chain (RFC 8617) when an ARC verifier is given.
 */
public final class InboundChecks {

    private final DkimVerifier dkim;
    private final SpfChecker spf;
    private final DmarcChecker dmarc;
    private final ArcVerifier arc;

    public InboundChecks(DkimVerifier dkim, SpfChecker spf, DmarcChecker dmarc) {
        this(dkim, spf, dmarc, null);
    }

    /** @param arc validates the message's ARC chain; null does not */
    public InboundChecks(DkimVerifier dkim, SpfChecker spf, DmarcChecker dmarc, ArcVerifier arc) {
        this.dkim = dkim;
        this.spf = spf;
        this.dmarc = dmarc;
        this.arc = arc;
    }

    /** The results for one message; {@code spf}, {@code dmarc} and {@code arc} may be null when not checked. */
    public record Results(List<DkimResult> dkim, SpfResult spf, DmarcResult dmarc, ArcResult arc) {

        public Results(List<DkimResult> dkim, SpfResult spf) {
            this(dkim, spf, null);
        }

        public Results(List<DkimResult> dkim, SpfResult spf, DmarcResult dmarc) {
            this(dkim, spf, dmarc, null);
        }

        /** Some check could not be made now (a DNS failure): temperror (RFC 8601 2.7). */
        public boolean temporaryError() {
            return spf != null && spf.outcome() == SpfResult.Outcome.TEMPERROR
                    || dkim.stream().anyMatch(d -> d.outcome() == DkimResult.Outcome.TEMPERROR)
                    || dmarc != null && dmarc.outcome() == DmarcResult.Outcome.TEMPERROR;
        }
    }

    /**
     * @param client the client's IP address as text; SPF is not checked when it is not one
     * @param sender the reverse path, empty for the null one
     */
    public Results check(String client, String sender, String helo, byte[] message) {
        SpfResult spfResult = null;
        InetAddress address = literal(client);
        if (address != null) {
            spfResult = spf.check(address, sender, helo);
        }
        List<DkimResult> dkimResults = dkim.verify(message);
        String from = Author.domainOf(new byte[0], message).map(d -> d.name()).orElse(null);
        return new Results(dkimResults, spfResult, dmarc.check(from, dkimResults, spfResult),
                arc == null ? null : arc.verify(message));
    }

    // an address literal only: a name here would be a DNS query nobody asked for
    private static InetAddress literal(String text) {
        if (text == null || !(text.contains(":") || text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
