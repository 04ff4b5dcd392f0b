package dev.petrel.mailauth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What Petrel checks on mail from elsewhere: the DKIM signatures (RFC 6376), SPF for the MAIL FROM or HELO
 * identity (RFC 7208), and DMARC (RFC 7489) for the From domain, written as one Authentication-Results field
 * (RFC 8601).
 */
public final class InboundChecks {

    private final DkimVerifier dkim;
    private final SpfChecker spf;
    private final DmarcChecker dmarc;

    public InboundChecks(DkimVerifier dkim, SpfChecker spf, DmarcChecker dmarc) {
        this.dkim = dkim;
        this.spf = spf;
        this.dmarc = dmarc;
    }

    /** The results for one message; {@code spf} and {@code dmarc} may be null when they were not checked. */
    public record Results(List<DkimResult> dkim, SpfResult spf, DmarcResult dmarc) {

        public Results(List<DkimResult> dkim, SpfResult spf) {
            this(dkim, spf, null);
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
        return new Results(dkimResults, spfResult, dmarc.check(from, dkimResults, spfResult));
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
