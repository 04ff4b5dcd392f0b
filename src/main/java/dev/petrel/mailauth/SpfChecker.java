package dev.petrel.mailauth;

import dev.petrel.dns.Resolver;
import java.net.InetAddress;
import java.util.Locale;

/**
 * SPF (RFC 7208): does the domain of the MAIL FROM identity (or, for the null sender, of the HELO identity)
 * authorize the client's address? Every mechanism and modifier, macros, and the limits of section 4.6.4: ten
 * look-ups that cause DNS queries, two void look-ups.
 */
public final class SpfChecker {

    private final Resolver resolver;

    public SpfChecker(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * RFC 7208 2.4: the MAIL FROM identity, or {@code postmaster@HELO} when the reverse path is null.
     *
     * @param sender the reverse path, empty for the null one
     */
    public SpfResult check(InetAddress client, String sender, String helo) {
        String h = helo == null ? "" : helo;
        boolean fromHelo = sender == null || sender.isEmpty();
        String s = fromHelo ? "postmaster@" + h : sender;
        String domain = s.substring(s.lastIndexOf('@') + 1);
        SpfEvaluation evaluation = new SpfEvaluation(resolver, client, s, h);
        SpfEvaluation.Verdict v = evaluation.checkHost(domain);
        return new SpfResult(v.outcome(), fromHelo ? "helo" : "mailfrom", domain.toLowerCase(Locale.ROOT), v.reason());
    }
}
