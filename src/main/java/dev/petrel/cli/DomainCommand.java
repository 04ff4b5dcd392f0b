package dev.petrel.cli;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.mail.Domain;
import dev.petrel.store.Stores;
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

        @Override
        public Integer call() throws Exception {
            if (local && sending) {
                System.err.println("petrel: --local and --sending exclude each other");
                return 2;
            }
            Optional<Boolean> kind = local ? Optional.of(true) : sending ? Optional.of(false) : Optional.empty();
            try (Stores stores = Petrel.stores(config.load())) {
                System.out.println(add(stores.domains(), name, kind));
            }
            return 0;
        }
    }

    /**
     * Adds the domain, or changes an existing one's kind only when one is asked for: {@code domain add localhost}
     * once made the local domain a sending one, and its users stopped receiving mail.
     *
     * @param local the kind asked for: true for local, false for sending, empty for "as it is" (a new domain sends)
     * @return what happened, in a line for the operator
     */
    static String add(Domains domains, Domain name, Optional<Boolean> local) {
        if (domains.add(new DomainEntry(name, local.orElse(false)))) {
            return "domain " + name + " added" + (local.orElse(false) ? " (local)" : "");
        }
        boolean was = domains.isLocal(name);
        if (local.isEmpty() || local.get() == was) {
            return "domain " + name + " exists already (" + kind(was) + "); unchanged";
        }
        domains.setLocal(name, local.get());
        return "domain " + name + " was " + kind(was) + "; it is " + kind(local.get()) + " now";
    }

    private static String kind(boolean local) {
        return local ? "local" : "a sending domain";
    }

    @Command(name = "list", description = "List domains")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                stores.domains().domains()
                        .forEach(d -> System.out.println(d.name() + (d.local() ? " local" : " sending")));
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
            try (Stores stores = Petrel.stores(config.load())) {
                if (!stores.domains().remove(name)) {
                    System.err.println("petrel: no domain " + name);
                    return 1;
                }
            }
            System.out.println("domain " + name + " removed");
            return 0;
        }
    }
}
