package dev.petrel.cli;

import dev.petrel.account.Directory;
import dev.petrel.config.Config;
import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.web.ChecklistView;
import dev.petrel.web.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "domain", description = "Manage domains", subcommands = {DomainCommand.Add.class,
        DomainCommand.List.class, DomainCommand.Remove.class, DomainCommand.Check.class})
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

    @Command(name = "check", description = "Check in DNS that DOMAIN is ready to send: SPF for every egress address,"
            + " DKIM keys published, DMARC aligned, reverse DNS matching EHLO, MX; says what to publish, and exits 1"
            + " when Gmail's and Yahoo's sender rules are not met")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "DOMAIN", converter = Arguments.DomainArg.class)
        Domain name;

        @Option(names = "--json", description = "Print the checklist as JSON, as the API answers it")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            Optional<Checklist> checked;
            try (Stores stores = Petrel.stores(c)) {
                Clock clock = Clock.systemUTC();
                checked = new ReadinessChecks(c, Petrel.directory(c, stores, clock), Petrel.tenancy(c, stores, clock),
                        DeliveryWiring.resolver(c, clock)).check(Optional.empty(), name);
            }
            if (checked.isEmpty()) {
                System.err.println("petrel: no domain " + name + " (petrel domain add " + name + ")");
                return 1;
            }
            if (json) {
                System.out.println(new String(Json.write(ChecklistView.of(checked.get())), StandardCharsets.UTF_8));
            } else {
                ChecklistText.lines(checked.get()).forEach(System.out::println);
            }
            return checked.get().ready() ? 0 : 1;
        }
    }
}
