package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a domain is ready to send ({@code petrel domain check}): SPF passes for every egress address, the DKIM
 * keys are published (found by the caller, as {@code dkim check} finds them), a DMARC record with a policy that SPF
 * or DKIM aligns with, forward-confirmed reverse DNS of each egress address matching its EHLO name, and an MX or
 * null MX. The checks ask the DNS the questions a receiver asks, with the checkers a receiver uses ({@link
 * SpfChecker}, {@link DmarcChecker}). What Gmail's and Yahoo's 2024 sender rules require of the results is in
 * {@link #unmet}.
 */
public final class DomainReadiness {

    /** An address mail leaves from, the name given in EHLO there, and where it is configured ("pool default"). */
    public record Egress(InetAddress address, String ehlo, String origin) {}

    /**
     * A sending domain as Petrel sends its mail.
     *
     * @param envelopeDomain the domain of its mail's envelope sender (the bounce domain when there is one): SPF's
     * @param egress the addresses its mail leaves from; empty when none is configured (the host name's are checked)
     * @param bulk whether it counts as a bulk sender, of whom the rules ask both SPF and DKIM
     * @param dkim the DKIM check of its active keys, one item each
     * @param dkimSigns whether it has an active key and every active key is published as stored
     */
    public record Sender(Domain domain, Domain envelopeDomain, List<Egress> egress, boolean bulk,
                         List<Checklist.Item> dkim, boolean dkimSigns) {
        public Sender {
            egress = List.copyOf(egress);
            dkim = List.copyOf(dkim);
        }
    }

    /** The record this check proposes when a domain has no DMARC record: monitoring only, as a first step. */
    static final String FIRST_DMARC = "v=DMARC1; p=none";

    private final Resolver resolver;
    private final SpfChecker spf;
    private final DmarcChecker dmarc;
    private final HostChecks hosts;
    private final String hostname;

    /** @param hostname the name egresses without one of their own give in EHLO */
    public DomainReadiness(Resolver resolver, PublicSuffixList suffixes, String hostname) {
        this.resolver = resolver;
        this.spf = new SpfChecker(resolver);
        // a pct below 100 samples failing messages; a check of the record wants its policy as written
        this.dmarc = new DmarcChecker(resolver, suffixes, () -> 0L);
        this.hosts = new HostChecks(resolver);
        this.hostname = hostname;
    }

    public Checklist check(Sender sender) {
        List<Egress> egress = egress(sender);
        Checklist.Item spfItem = spf(sender.envelopeDomain().name(), egress);
        Checklist.Item dmarcItem = dmarc(sender, spfItem.ok());
        List<Checklist.Item> reverse = egress.isEmpty() ? List.of(noEgress("ptr"))
                : egress.stream().map(hosts::reverse).toList();
        List<Checklist.Item> items = new ArrayList<>();
        items.add(spfItem);
        items.addAll(sender.dkim());
        items.add(dmarcItem);
        items.addAll(reverse);
        items.add(hosts.mx(sender.domain().name()));
        return new Checklist(sender.domain().name(), sender.bulk(), items,
                unmet(sender, spfItem.ok(), dmarcItem.ok(), reverse.stream().allMatch(Checklist.Item::ok)));
    }

    /** What Gmail's and Yahoo's 2024 sender rules require that the results do not give, one line each. */
    static List<String> unmet(Sender sender, boolean spfPasses, boolean dmarcAligned, boolean reverseConfirmed) {
        List<String> unmet = new ArrayList<>();
        if (!spfPasses && !sender.dkimSigns()) {
            unmet.add("SPF or DKIM passes (all senders): neither does");
        } else if (sender.bulk() && !(spfPasses && sender.dkimSigns())) {
            unmet.add("both SPF and DKIM pass (bulk senders): " + (spfPasses ? "DKIM" : "SPF") + " does not");
        }
        if (!dmarcAligned) {
            unmet.add("a DMARC record, with SPF or DKIM passing aligned with the From domain (bulk senders)");
        }
        if (!reverseConfirmed) {
            unmet.add("forward-confirmed reverse DNS of each sending address, matching its EHLO name (all senders)");
        }
        return unmet;
    }

    // the configured addresses; without any, those of the host name, which the system most likely sends from
    private List<Egress> egress(Sender sender) {
        if (!sender.egress().isEmpty()) {
            return sender.egress();
        }
        return resolver.lookupAddresses(hostname).records().stream()
                .map(a -> new Egress(a, hostname, "address of " + hostname + "; no source is configured")).toList();
    }

    private Checklist.Item noEgress(String check) {
        return new Checklist.Item(check, hostname, Checklist.Status.MISSING, "no sending address to check: configure"
                + " [[delivery.egress]] sources, or publish the address of " + hostname, null);
    }

    /** RFC 7208: every egress address gets pass for the envelope domain, as a receiver would check MAIL FROM. */
    private Checklist.Item spf(String domain, List<Egress> egress) {
        if (egress.isEmpty()) {
            return noEgress("spf");
        }
        Lookup<String> txt = resolver.lookupTxt(domain);
        if (txt instanceof Lookup.TemporaryFailure<String> failure) {
            return HostChecks.unknown("spf", domain, failure);
        }
        // RFC 7208 4.5: the TXT record that starts with v=spf1
        Optional<String> record = txt.records().stream().map(String::strip)
                .filter(r -> r.matches("(?i)v=spf1( .*)?")).findFirst();
        if (record.isEmpty()) {
            return new Checklist.Item("spf", domain, Checklist.Status.MISSING, "no SPF record",
                    txt(domain, "v=spf1 " + mechanisms(egress) + " ~all"));
        }
        List<Egress> failing = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (Egress e : egress) {
            SpfResult r = spf.check(e.address(), "postmaster@" + domain, e.ehlo());
            if (r.outcome() != SpfResult.Outcome.PASS) {
                failing.add(e);
                results.add(e.address().getHostAddress() + " (" + e.origin() + ") gets " + r.outcome().value()
                        + (r.reason() == null ? "" : " (" + r.reason() + ")"));
            }
        }
        if (failing.isEmpty()) {
            return new Checklist.Item("spf", domain, Checklist.Status.OK, "passes for " + String.join(", ",
                    egress.stream().map(e -> e.address().getHostAddress()).toList()), null);
        }
        return new Checklist.Item("spf", domain, Checklist.Status.WRONG, String.join("; ", results),
                txt(domain, record.get().replaceFirst("(?i)^v=spf1", "v=spf1 " + mechanisms(failing))));
    }

    private static String mechanisms(List<Egress> egress) {
        return String.join(" ", egress.stream().map(e -> (e.address() instanceof Inet4Address ? "ip4:" : "ip6:")
                + e.address().getHostAddress()).distinct().toList());
    }

    /**
     * RFC 7489: a record with a valid p= at {@code _dmarc.} of the domain (or of its organizational domain), and
     * a DKIM signature of the domain or an SPF pass of the envelope domain that aligns under adkim and aspf.
     */
    private Checklist.Item dmarc(Sender sender, boolean spfPasses) {
        String from = sender.domain().name();
        String subject = "_dmarc." + from;
        DkimResult signed = new DkimResult(DkimResult.Outcome.PASS, from, null, null, null, -1);
        SpfResult passed = new SpfResult(SpfResult.Outcome.PASS, "mailfrom", sender.envelopeDomain().name(), null);
        DmarcResult found = dmarc.check(from, List.of(signed), passed);
        if (found.outcome() == DmarcResult.Outcome.NONE) {
            // no record, or one without a valid p=
            return new Checklist.Item("dmarc", subject, found.reason() == null ? Checklist.Status.MISSING
                    : Checklist.Status.WRONG, found.reason() == null ? "no DMARC record" : found.reason(),
                    txt(subject, FIRST_DMARC));
        }
        if (found.outcome() == DmarcResult.Outcome.TEMPERROR) {
            return HostChecks.unknown("dmarc", subject, new Lookup.TemporaryFailure<>(found.reason()));
        }
        // a record was found: which of this domain's passes it takes as aligned
        List<String> aligned = new ArrayList<>();
        if (sender.dkimSigns()) {
            aligned.add("DKIM (d=" + from + ")");
        }
        if (spfPasses && dmarc.check(from, List.of(), passed).outcome() == DmarcResult.Outcome.PASS) {
            aligned.add("SPF (" + sender.envelopeDomain() + ")");
        }
        String policy = "p=" + found.policy().value();
        if (aligned.isEmpty()) {
            return new Checklist.Item("dmarc", subject, Checklist.Status.WRONG, policy + ", but neither SPF nor DKIM"
                    + " passes aligned with " + from + (spfPasses ? " (SPF passes for " + sender.envelopeDomain()
                    + ", which the record's aspf does not align)" : ""), null);
        }
        return new Checklist.Item("dmarc", subject, Checklist.Status.OK, policy + ", aligned by "
                + String.join(" and ", aligned), null);
    }

    /** A TXT record as a zone file line, in strings of at most 255 octets (RFC 1035 3.3). */
    static String txt(String name, String value) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            parts.add("\"" + value.substring(i, Math.min(value.length(), i + 255)) + "\"");
        }
        return name + ". IN TXT " + String.join(" ", parts);
    }
}
