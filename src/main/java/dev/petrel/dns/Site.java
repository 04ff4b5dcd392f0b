package dev.petrel.dns;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A destination site: the set of hosts that receive a domain's mail, named by a key that is stable whatever the
 * order of the MX records, the DNS case or the trailing dots. Domains hosted by one provider share a site, so
 * delivery can give them one ready queue and one set of limits (STYLE.md, "The queue and delivery").
 */
public record Site(String key) {

    public Site {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty site key");
        }
    }

    /** The site of these host names: sorted, lowercased, without duplicates or trailing dots, comma-separated. */
    public static Site of(Collection<String> hosts) {
        return new Site(hosts.stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .map(h -> h.endsWith(".") ? h.substring(0, h.length() - 1) : h)
                .distinct()
                .sorted()
                .collect(Collectors.joining(",")));
    }

    @Override
    public String toString() {
        return key;
    }
}
