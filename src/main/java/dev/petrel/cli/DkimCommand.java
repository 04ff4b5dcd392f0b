package dev.petrel.cli;

import dev.petrel.account.Directory;
import dev.petrel.account.DkimTools;
import dev.petrel.config.Config;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.store.Stores;
import java.time.Clock;
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
            Config c = config.load();
            Directory.Outcome<DkimTools.Published> made;
            try (Stores stores = Petrel.stores(c)) {
                try {
                    made = Petrel.directory(c, stores, Clock.systemUTC()).generateKey(domain, selector,
                            algorithm.keyType());
                } catch (IllegalArgumentException e) {
                    throw new Arguments.Invalid("--selector", selector, e);
                }
            }
            DkimTools.Published key = made.value();
            System.out.println("dkim key " + key.recordName() + " (" + key.keyType() + ") created; "
                    + key.domain() + " is signed with it from now on");
            System.out.println("publish this TXT record:");
            System.out.println(key.zoneLine());
            made.notes().forEach(n -> System.err.println("petrel: warning: " + n));
            return 0;
        }
    }

    @Command(name = "list", description = "List the DKIM keys and their TXT records")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                for (DkimTools.Published key : Petrel.directory(c, stores, Clock.systemUTC()).keys()) {
                    System.out.println(key.recordName() + " " + key.keyType() + (key.active() ? " active" : ""));
                    System.out.println("  " + key.zoneLine());
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
            Config c = config.load();
            DkimTools.Report report;
            try (Stores stores = Petrel.stores(c)) {
                report = Petrel.directory(c, stores, Clock.systemUTC()).checkKeys(domain);
            }
            report.lines().forEach(System.out::println);
            return report.ok() ? 0 : 1;
        }
    }
}
