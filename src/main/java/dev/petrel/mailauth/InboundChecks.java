package dev.petrel.mailauth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What Petrel checks on mail from elsewhere: the DKIM signatures (RFC 6376) and SPF for the MAIL FROM or HELO
 * identity (RFC 7208), written as one Authentication-Results field (RFC 8601).
 */
public final class InboundChecks {

    private final DkimVerifier dkim;
    private final SpfChecker spf;

    public InboundChecks(DkimVerifier dkim, SpfChecker spf) {
        this.dkim = dkim;
        this.spf = spf;
    }

    /** The results for one message. */
    public record Results(List<DkimResult> dkim, SpfResult spf) {}

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
        return new Results(dkim.verify(message), spfResult);
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
