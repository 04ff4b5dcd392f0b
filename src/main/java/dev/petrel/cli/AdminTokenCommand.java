package dev.petrel.cli;

import dev.petrel.account.AdminTokens;
import dev.petrel.account.Directory;
import dev.petrel.config.Config;
import dev.petrel.store.Stores;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "admin-token", description = "Manage the tokens of the admin API and the dashboard",
        subcommands = {AdminTokenCommand.Create.class, AdminTokenCommand.List.class, AdminTokenCommand.Revoke.class})
final class AdminTokenCommand {

    @Command(name = "create", description = "Create a token named NAME and print it; it is shown this once")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            Directory.IssuedToken issued;
            try (Stores stores = Petrel.stores(c)) {
                try {
                    issued = Petrel.directory(c, stores, Clock.systemUTC()).createToken(name);
                } catch (IllegalArgumentException e) {
                    throw new Arguments.Invalid("NAME", name, e);
                }
            }
            System.err.println("admin token " + issued.token().id() + " (" + name + ") created; it is not shown again");
            System.out.println(issued.secret());
            return 0;
        }
    }

    @Command(name = "list", description = "List the admin tokens (ids and names, never the tokens)")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                for (AdminTokens.AdminToken t : Petrel.directory(c, stores, Clock.systemUTC()).tokens()) {
                    System.out.println(t.id() + " " + t.name() + " " + t.created());
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by id or name; it stops working at once")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID|NAME")
        String token;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                if (!Petrel.directory(c, stores, Clock.systemUTC()).revokeToken(token)) {
                    System.err.println("petrel: no admin token " + token);
                    return 1;
                }
            }
            System.out.println("admin token " + token + " revoked");
            return 0;
        }
    }
}
