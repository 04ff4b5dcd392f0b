package dev.petrel.cli;

import dev.petrel.account.Directory;
import dev.petrel.config.Config;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "domain", description = "Manage domains", subcommands = {DomainCommand.Add.class,
        DomainCommand.List.class, DomainCommand.Remove.class})
final class DomainCommand {

    @Command(name = "add", description = "Add a domain (a sending domain unless --local); an existing domain keeps"
            + " its kind unless --local or --sending asks to change it")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", converter = Arguments.DomainArg.class)
        Domain name;

        @Option(names = "--local", description = "Mail for this domain is stored in local mailboxes")
        boolean local;

        @Option(names = "--sending", description = "Only sent from: mail for it is relayed, not stored here")
        boolean sending;

        @Option(names = "--tenant", paramLabel = "NAME", converter = Arguments.TenantArg.class,
                description = "The tenant the domain belongs to (default: default, or its tenant if it exists)")
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            if (local && sending) {
                System.err.println("petrel: --local and --sending exclude each other");
                return 2;
            }
            Optional<Boolean> kind = local ? Optional.of(true) : sending ? Optional.of(false) : Optional.empty();
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Petrel.tenancy(c, stores, Clock.systemUTC()).addDomain(Optional.ofNullable(tenant), name, kind).notes()
                        .forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List domains")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                stores.domains().domains().forEach(d -> System.out.println(d.name() + (d.local() ? " local" : " sending")
                        + Petrel.tenantNote(stores.tenants().tenantOf(d.name()))));
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a domain")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", converter = Arguments.DomainArg.class)
        Domain name;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Directory.Outcome<Boolean> removed = Petrel.directory(c, stores, Clock.systemUTC()).removeDomain(name);
                if (!removed.value()) {
                    System.err.println("petrel: no domain " + name);
                    return 1;
                }
                System.out.println("domain " + name + " removed");
                removed.notes().forEach(n -> System.out.println("note: " + n));
            }
            return 0;
        }
    }
}
