package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Checklist;
import java.net.Inet4Address;
import java.util.List;
import java.util.Locale;

/**
 * The checks of a sending domain's hosts for {@link DomainReadiness}: forward-confirmed reverse DNS of each egress
 * address, and the domain's MX (or null MX).
 */
final class HostChecks {

    private final Resolver resolver;

    HostChecks(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * FCrDNS: the address's PTR names a host that resolves back to the address, and that name is the one the
     * egress gives in EHLO (as Gmail and Yahoo ask of every sender, and RFC 5321 4.1.4's EHLO name should be).
     */
    Checklist.Item reverse(DomainReadiness.Egress egress) {
        String ptrName = SpfMacros.reverse(egress.address());
        String subject = egress.address().getHostAddress() + " (" + egress.origin() + ")";
        String wanted = ptrName + ". IN PTR " + egress.ehlo() + ".";
        return switch (resolver.lookupPtr(ptrName)) {
            case Lookup.Found<String> found -> confirmed(egress, subject, found.records(), wanted);
            case Lookup.TemporaryFailure<String> failure -> unknown("ptr", subject, failure);
            default -> new Checklist.Item("ptr", subject, Checklist.Status.MISSING, "no PTR record at " + ptrName
                    + " (the address's owner publishes it)", wanted);
        };
    }

    private Checklist.Item confirmed(DomainReadiness.Egress egress, String subject, List<String> ptrs, String wanted) {
        List<String> names = ptrs.stream().map(HostChecks::bare).toList();
        List<String> back = names.stream().filter(n -> resolver.lookupAddresses(n).records().contains(egress.address()))
                .toList();
        String ehlo = bare(egress.ehlo());
        if (back.isEmpty()) {
            return new Checklist.Item("ptr", subject, Checklist.Status.WRONG, "PTR names " + String.join(", ", names)
                    + ", which does not resolve back to " + egress.address().getHostAddress(),
                    names.getFirst() + ". IN " + (egress.address() instanceof Inet4Address ? "A " : "AAAA ")
                            + egress.address().getHostAddress());
        }
        if (!back.contains(ehlo)) {
            return new Checklist.Item("ptr", subject, Checklist.Status.WRONG, "PTR names " + String.join(", ", back)
                    + " but EHLO gives " + ehlo + " (publish this PTR, or give that name in EHLO)", wanted);
        }
        return new Checklist.Item("ptr", subject, Checklist.Status.OK, "PTR " + ehlo
                + " resolves back to the address and is the EHLO name", null);
    }

    /** An MX record, or RFC 7505's null MX for a domain that takes no mail. */
    Checklist.Item mx(String domain) {
        return switch (resolver.lookupMx(domain)) {
            case Lookup.Found<MxRecord> found when found.records().stream().anyMatch(MxRecord::isNullMx) ->
                    new Checklist.Item("mx", domain, Checklist.Status.OK, "null MX (RFC 7505): the domain takes no mail",
                            null);
            case Lookup.Found<MxRecord> found -> new Checklist.Item("mx", domain, Checklist.Status.OK, "MX "
                    + String.join(", ", found.records().stream().map(r -> r.preference() + " " + r.exchange()).toList()),
                    null);
            case Lookup.TemporaryFailure<MxRecord> failure -> unknown("mx", domain, failure);
            default -> new Checklist.Item("mx", domain, Checklist.Status.MISSING, "no MX record: replies cannot reach"
                    + " the domain (publish an MX naming the host that takes its mail, or this null MX)",
                    domain + ". IN MX 0 .");
        };
    }

    static Checklist.Item unknown(String check, String subject, Lookup.TemporaryFailure<?> failure) {
        return new Checklist.Item(check, subject, Checklist.Status.WRONG, "cannot tell now: DNS failure ("
                + failure.reason() + ")", null);
    }

    private static String bare(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
