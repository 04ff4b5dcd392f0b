package dev.petrel.cli;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.store.Stores;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dkim", description = "Manage DKIM signing keys",
        subcommands = {DkimCommand.Keygen.class, DkimCommand.List.class, DkimCommand.Check.class})
final class DkimCommand {

    @Command(name = "keygen", description = "Create a key for DOMAIN, make it the one its mail is signed with"
            + " (per algorithm), and print the DNS TXT record to publish")
    static final class Keygen implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "DOMAIN", converter = Arguments.DomainArg.class)
        Domain domain;

        @Option(names = "--selector", description = "default: the algorithm and this month, like rsa202611")
        String selector;

        @Option(names = "--algorithm", paramLabel = "rsa|ed25519", converter = Arguments.AlgorithmArg.class,
                description = "rsa (2048 bits, the default) or ed25519")
        DkimAlgorithm algorithm = DkimAlgorithm.ofKeyType("rsa");

        @Override
        public Integer call() throws Exception {
            DkimKey key;
            String s = selector != null ? selector : algorithm.keyType() + String.format("%1$tY%1$tm",
                    LocalDate.now(ZoneOffset.UTC));
            try {
                key = DkimKey.generate(domain, s, algorithm, new SecureRandom());
            } catch (IllegalArgumentException e) {
                throw new Arguments.Invalid("--selector", s, e);
            }
            try (Stores stores = Petrel.stores(config.load())) {
                stores.dkimKeys().add(new DkimKeyEntry(key.domain(), key.selector(), key.algorithm().keyType(),
                        key.pkcs8(), true));
            }
            System.out.println("dkim key " + key.recordName() + " (" + key.algorithm().keyType() + ") created; "
                    + key.domain() + " is signed with it from now on");
            System.out.println("publish this TXT record:");
            System.out.println(zoneLine(key));
            return 0;
        }
    }

    @Command(name = "list", description = "List the DKIM keys and their TXT records")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                for (DkimKeyEntry e : stores.dkimKeys().keys()) {
                    DkimKey key = StoredDkimKeys.toKey(e);
                    System.out.println(key.recordName() + " " + e.keyType() + (e.active() ? " active" : ""));
                    System.out.println("  " + zoneLine(key));
                }
            }
            return 0;
        }
    }

    @Command(name = "check", description = "Look up DOMAIN's key records in DNS and say whether they match the"
            + " stored keys; exits 1 when an active key is not published as stored")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "DOMAIN", converter = Arguments.DomainArg.class)
        Domain domain;

        @Override
        public Integer call() throws Exception {
            var c = config.load();
            DkimCheck.Report report;
            try (Stores stores = Petrel.stores(c)) {
                report = DkimCheck.check(stores.dkimKeys(), DeliveryWiring.resolver(c, java.time.Clock.systemUTC()),
                        domain);
            }
            report.lines().forEach(System.out::println);
            return report.ok() ? 0 : 1;
        }
    }

    /** The record as a zone file line, in TXT strings of at most 255 octets. */
    static String zoneLine(DkimKey key) {
        return key.recordName() + ". IN TXT " + String.join(" ", key.recordStrings().stream()
                .map(part -> "\"" + part + "\"").toList());
    }
}
