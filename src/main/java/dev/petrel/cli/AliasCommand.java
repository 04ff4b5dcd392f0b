package dev.petrel.cli;

import dev.petrel.account.Alias;
import dev.petrel.account.Directory;
import dev.petrel.config.Config;
import java.time.Clock;
import dev.petrel.mail.Address;
import dev.petrel.store.Stores;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "alias", description = "Manage aliases: mail for an address goes on to other addresses",
        subcommands = {AliasCommand.Add.class, AliasCommand.List.class, AliasCommand.Remove.class})
final class AliasCommand {

    @Command(name = "add", description = "Send mail for SOURCE (local@domain, or @domain for the domain's catch-all)"
            + " on to each TARGET as well; adds to the targets the alias has")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1..*", paramLabel = "TARGET", arity = "1..*", converter = Arguments.AddressArg.class)
        java.util.List<Address> targets;

        @Override
        public Integer call() throws Exception {
            try {
                Alias.parse(source, targets);
            } catch (IllegalArgumentException e) {
                throw new Arguments.Invalid("SOURCE", source, e);
            }
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Directory.Outcome<Alias> added = Petrel.directory(c, stores, Clock.systemUTC()).addAlias(source, targets);
                System.out.println("alias " + describe(added.value()));
                added.notes().forEach(n -> System.out.println("note: " + n));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List aliases and their targets")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                stores.aliases().aliases().forEach(a -> System.out.println(describe(a)));
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove an alias with all its targets")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "SOURCE")
        String source;

        @Override
        public Integer call() throws Exception {
            try {
                Alias.parse(source, java.util.List.of(Address.of("unused@localhost")));
            } catch (IllegalArgumentException e) {
                throw new Arguments.Invalid("SOURCE", source, e);
            }
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                if (!Petrel.directory(c, stores, Clock.systemUTC()).removeAlias(source)) {
                    System.err.println("petrel: no alias " + source);
                    return 1;
                }
            }
            System.out.println("alias " + source + " removed");
            return 0;
        }
    }

    static String describe(Alias a) {
        return a.source() + " -> " + a.targets().stream().map(Address::toString).collect(Collectors.joining(", "));
    }
}
