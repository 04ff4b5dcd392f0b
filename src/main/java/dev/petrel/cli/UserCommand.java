package dev.petrel.cli;

import dev.petrel.account.Directory;
import dev.petrel.config.Config;
import java.time.Clock;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = "Manage users", subcommands = {UserCommand.Add.class, UserCommand.List.class,
        UserCommand.Remove.class, UserCommand.Quota.class})
final class UserCommand {

    @Command(name = "add", description = "Add a user, or set its password; the password is read from standard input")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ADDRESS", converter = Arguments.AddressArg.class)
        Address a;

        @Option(names = "--tenant", paramLabel = "NAME", converter = Arguments.TenantArg.class,
                description = "The tenant the user belongs to (default: default, or its tenant if it exists)")
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            String password = readPassword();
            if (password == null || password.isEmpty()) {
                System.err.println("petrel: no password given on standard input");
                return 1;
            }
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Directory.Outcome<User> added = Petrel.tenancy(c, stores, Clock.systemUTC())
                        .addUser(Optional.ofNullable(tenant), a, password);
                System.out.println("user " + added.value().address() + " added");
                added.notes().forEach(n -> System.out.println("note: " + n));
            }
            return 0;
        }

        private static String readPassword() throws java.io.IOException {
            Console console = System.console();
            if (console != null) {
                char[] chars = console.readPassword("Password: ");
                return chars == null ? null : new String(chars);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return in.readLine();
        }
    }

    @Command(name = "list", description = "List users")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                for (User u : stores.users().users()) {
                    String t = Petrel.tenantNote(stores.tenants().tenantOf(u.address()));
                    System.out.println(u.hasQuota() ? u.address() + " quota=" + u.quota() + t : u.address() + t);
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a user")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ADDRESS", converter = Arguments.AddressArg.class)
        Address address;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                if (!stores.users().remove(address)) {
                    System.err.println("petrel: no user " + address);
                    return 1;
                }
            }
            System.out.println("user " + address + " removed");
            return 0;
        }
    }

    @Command(name = "quota", description = "Limit the size of a user's mailbox (SIZE like 500MiB, or none)")
    static final class Quota implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "ADDRESS", converter = Arguments.AddressArg.class)
        Address address;

        @Parameters(index = "1", paramLabel = "SIZE", converter = Arguments.QuotaArg.class)
        long octets;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = Petrel.stores(config.load())) {
                if (!stores.users().setQuota(address, octets)) {
                    System.err.println("petrel: no user " + address);
                    return 1;
                }
            }
            System.out.println("user " + address + (octets == User.NO_QUOTA ? " has no quota" : " quota=" + octets));
            return 0;
        }
    }
}
