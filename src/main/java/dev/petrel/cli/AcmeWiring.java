package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.server.AcmeCertificates;
import dev.petrel.server.ServerCertificate;
import dev.petrel.web.AcmeChallengeRoutes;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code [acme]}: the server's certificate from an ACME CA, kept in {@code data_dir/acme}, its HTTP-01 tokens
 * answered by the HTTP listener, checked for renewal every {@code check_interval}.
 */
final class AcmeWiring {

    private AcmeWiring() {}

    /** The ACME certificates of the configuration, a kept one already in use; null when [acme] is off. */
    static AcmeCertificates certificates(Config config, ServerCertificate certificate, Clock clock, PrintStream log)
            throws IOException {
        Config.Acme a = config.acme();
        if (!a.enabled()) {
            return null;
        }
        AcmeCertificates acme = new AcmeCertificates(new AcmeCertificates.Settings(a.directory(), a.contact(),
                a.names(), a.acceptTerms(), a.renewBefore(), a.checkInterval(), a.trust()),
                config.dataDir().resolve("acme"), certificate, clock, line -> {
                    synchronized (log) {
                        log.println(line);
                    }
                });
        acme.useKept();
        return acme;
    }

    /** The HTTP-01 tokens under way, for the challenge route; none without ACME. */
    static AcmeChallengeRoutes.Challenges challenges(AcmeCertificates acme) {
        return acme == null ? token -> Optional.empty() : acme::keyAuthorization;
    }

    /** The first check now (HTTP listens, so the CA can reach the tokens), then every check_interval. */
    static void start(AcmeCertificates acme) {
        if (acme != null) {
            acme.start();
        }
    }
}
