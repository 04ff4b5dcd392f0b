package dev.petrel.cli;

import dev.petrel.account.Directory;
import dev.petrel.account.DkimTools;
import dev.petrel.config.Config;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import dev.petrel.mail.IpLiteral;
import dev.petrel.mail.TenantId;
import dev.petrel.mailauth.DomainReadiness;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.web.DomainChecks;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code petrel domain check} and its routes: a domain as Petrel sends its mail (the egress addresses of its
 * tenant's streams and of the default pool, the bounce domain of its envelope senders, its DKIM keys as
 * {@code dkim check} finds them) checked by {@link DomainReadiness}. A domain is a bulk sender when its tenant has
 * a broadcast stream.
 */
final class ReadinessChecks implements DomainChecks {

    private final Config config;
    private final Directory directory;
    private final Tenancy tenancy;
    private final DomainReadiness readiness;

    ReadinessChecks(Config config, Directory directory, Tenancy tenancy, Resolver resolver) {
        this.config = config;
        this.directory = directory;
        this.tenancy = tenancy;
        this.readiness = new DomainReadiness(resolver, PublicSuffixList.bundled(), config.hostname());
    }

    @Override
    public Optional<Checklist> check(Optional<TenantId> tenant, Domain domain) {
        if (directory.domain(domain).isEmpty()) {
            return Optional.empty();
        }
        TenantId owner = tenancy.tenantOf(domain).orElse(TenantId.DEFAULT);
        if (tenant.isPresent() && !tenant.get().equals(owner)) {
            return Optional.empty();
        }
        List<Stream> streams = tenancy.streams(owner);
        DkimTools.Report dkim = directory.checkKeys(domain);
        Domain envelope = config.bounce().domain().isEmpty() ? domain : Domain.parse(config.bounce().domain());
        return Optional.of(readiness.check(new DomainReadiness.Sender(domain, envelope, egress(config, streams),
                streams.stream().anyMatch(s -> s.kind() == Stream.Kind.BROADCAST), dkim.keys(), dkim.signs())));
    }

    /**
     * The addresses the tenant's mail leaves from: the default pool's (mail without a stream, and streams without
     * an egress of their own), each stream's pool's, and each stream's own source address.
     */
    static List<DomainReadiness.Egress> egress(Config config, List<Stream> streams) {
        Map<InetAddress, DomainReadiness.Egress> out = new LinkedHashMap<>();
        config.delivery().pool("default").ifPresent(p -> add(out, config, p));
        for (Stream s : streams) {
            if (s.egress() != null) {
                config.delivery().pool(s.egress()).ifPresent(p -> add(out, config, p));
            } else if (s.source() != null) {
                InetAddress address = IpLiteral.parse(s.source());
                out.putIfAbsent(address, new DomainReadiness.Egress(address,
                        s.ehlo() != null ? s.ehlo() : config.hostname(), "stream " + s.name()));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void add(Map<InetAddress, DomainReadiness.Egress> out, Config config, Config.EgressPool pool) {
        for (String source : pool.sources()) {
            InetAddress address = IpLiteral.parse(source);
            out.putIfAbsent(address, new DomainReadiness.Egress(address,
                    pool.ehlo() != null ? pool.ehlo() : config.hostname(), "pool " + pool.name()));
        }
    }
}
