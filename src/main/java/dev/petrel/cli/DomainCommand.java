package dev.petrel.cli;

import dev.petrel.account.DomainEntry;
import dev.petrel.mail.Domain;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "domain", description = "Manage domains", subcommands = {DomainCommand.Add.class,
        DomainCommand.List.class, DomainCommand.Remove.class})
final class DomainCommand {

    @Command(name = "add", description = "Add a domain; --local to receive its mail into mailboxes")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", converter = Arguments.DomainArg.class)
        Domain name;

        @Option(names = "--local", description = "Mail for this domain is stored in local mailboxes")
        boolean local;

        @Override
        public Integer call() throws Exception {
            DomainEntry d = Petrel.accounts(config.load(), new SecureRandom()).addDomain(name, local);
            System.out.println("domain " + d.name() + " added" + (d.local() ? " (local)" : ""));
            return 0;
        }
    }

    @Command(name = "list", description = "List domains")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Petrel.accounts(config.load(), new SecureRandom()).domains()
                    .forEach(d -> System.out.println(d.name() + (d.local() ? " local" : " sending")));
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
            if (!Petrel.accounts(config.load(), new SecureRandom()).removeDomain(name)) {
                System.err.println("petrel: no domain " + name);
                return 1;
            }
            System.out.println("domain " + name + " removed");
            return 0;
        }
    }
}
