package dev.petrel.report;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where a domain wants its TLS reports: the {@code rua} of its {@code _smtp._tls} TXT record (RFC 8460 3). */
final class TlsRptRecord {

    private static final String VERSION = "v=TLSRPTv1";

    private TlsRptRecord() {}

    /**
     * The domain's report URIs ({@code mailto:} and {@code https:}), none when it publishes no valid record;
     * {@link IOException} when DNS failed, so that the report is tried again later.
     */
    static List<URI> rua(Resolver resolver, Domain domain) throws IOException {
        Lookup<String> found = resolver.lookupTxt("_smtp._tls." + domain.name());
        if (found instanceof Lookup.TemporaryFailure<String> failure) {
            throw new IOException("DNS failed for _smtp._tls." + domain.name() + ": " + failure.reason());
        }
        return parse(found.records());
    }

    // RFC 8460 3: records that do not start with v=TLSRPTv1 are discarded; other than exactly one left means none
    static List<URI> parse(List<String> records) {
        List<String> ours = records.stream().filter(r -> r.startsWith(VERSION)).toList();
        if (ours.size() != 1) {
            return List.of();
        }
        String[] fields = ours.getFirst().split(";");
        if (!fields[0].strip().equals(VERSION)) {
            return List.of();
        }
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.startsWith("rua=")) {
                return uris(field.substring(4));
            }
        }
        return List.of();
    }

    // tlsrpt-rua = "rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); only mailto and https are defined (RFC 8460 3)
    private static List<URI> uris(String list) {
        List<URI> out = new ArrayList<>();
        for (String text : list.split(",")) {
            try {
                URI uri = new URI(text.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (scheme.equals("mailto") || scheme.equals("https") && uri.getHost() != null) {
                    out.add(uri);
                }
            } catch (URISyntaxException e) {
                // a URI that does not parse is skipped; the others still get the report
            }
        }
        return out;
    }
}
