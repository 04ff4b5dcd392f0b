package dev.petrel.config;

import dev.petrel.mail.Address;
import java.util.Set;

/** Reads {@code [reports]}: who signs the daily reports, and which of them are sent. */
final class ReportSettings {

    static final Set<String> KEYS = Set.of("organization", "from", "contact", "tls", "dmarc");

    private ReportSettings() {}

    static Config.Reports read(Table n, String hostname) {
        Config.Reports d = Config.Reports.defaults(hostname);
        String organization = n.text("organization", d.organization());
        // the default follows the host name, which is checked on its own line
        if (n.text("organization", null) != null
                && (organization.isBlank() || !organization.chars().allMatch(c -> c >= 0x20 && c != 0x7f))) {
            throw n.problem("organization", "expected a name without control characters, got \"" + organization
                    + "\"");
        }
        String given = n.text("from", null);
        boolean tls = n.bool("tls", d.tls());
        boolean dmarc = n.bool("dmarc", d.dmarc());
        String from = given == null ? d.from() : given;
        if (given != null || tls || dmarc) {
            // the default is checked only when reports are sent: the host name need not be a domain otherwise
            n.parsed("from", from, Address::of);
        }
        String contact = n.text("contact", "");
        if (!contact.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw n.problem("contact", "control characters are not allowed");
        }
        return new Config.Reports(organization, from, contact, tls, dmarc);
    }
}
