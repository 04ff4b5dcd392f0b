package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.Tenancy;
import dev.petrel.tenant.Tenant;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tenant", description = "Manage tenants: the businesses whose domains, users, keys and streams are"
        + " kept apart (a tenant named default always exists)", subcommands = {TenantCommand.Add.class,
        TenantCommand.List.class, TenantCommand.Remove.class, TenantCommand.Set.class})
final class TenantCommand {

    @Command(name = "add", description = "Add a tenant")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", converter = Arguments.TenantArg.class)
        TenantId name;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Petrel.tenancy(c, stores, Clock.systemUTC()).addTenant(name);
            }
            System.out.println("tenant " + name + " added");
            return 0;
        }
    }

    @Command(name = "list", description = "List tenants with how many domains, users and keys each has")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Tenancy tenancy = Petrel.tenancy(c, stores, Clock.systemUTC());
                for (Tenant t : tenancy.tenants()) {
                    System.out.println(t.id() + " domains=" + tenancy.domains(t.id()).size() + " users="
                            + tenancy.users(t.id()).size() + " keys=" + tenancy.keys(t.id()).size()
                            + t.limits().text() + (t.identification().isEmpty() ? "" : " identification="
                                    + t.identification().replace("\n", " / ")));
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a tenant and its streams; refused while it has users, domains"
            + " or keys")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", converter = Arguments.TenantArg.class)
        TenantId name;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                if (!Petrel.tenancy(c, stores, Clock.systemUTC()).removeTenant(name)) {
                    System.err.println("petrel: no tenant " + name);
                    return 1;
                }
            }
            System.out.println("tenant " + name + " removed");
            return 0;
        }
    }

    @Command(name = "set", description = "Set a tenant's sender identification (CASL: name, postal address,"
            + " contact) and its limits: messages a second and a day, whatever the stream (0 for no limit)")
    static final class Set implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", converter = Arguments.TenantArg.class)
        TenantId name;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Changes changes;

        static final class Changes extends LimitOptions {
            @Option(names = "--identification", paramLabel = "TEXT",
                    description = "The sender identification commercial mail carries")
            String identification;
        }

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Tenancy tenancy = Petrel.tenancy(c, stores, Clock.systemUTC());
                if (tenancy.tenant(name).isEmpty()) {
                    System.err.println("petrel: no tenant " + name);
                    return 1;
                }
                if (changes.identification != null) {
                    identify(tenancy);
                }
                if (changes.limitsGiven()) {
                    Tenant t = tenancy.setLimits(name, changes.perSecond, changes.perDay).orElseThrow();
                    System.out.println("tenant " + name + " limits set:" + limits(t.limits()));
                }
            }
            return 0;
        }

        private void identify(Tenancy tenancy) {
            try {
                tenancy.setIdentification(name, changes.identification);
            } catch (IllegalArgumentException e) {
                throw new Arguments.Invalid("--identification", changes.identification, e);
            }
            System.out.println("tenant " + name + " identification set");
        }
    }

    /** Limits as {@code set} prints them: {@code per_second=10 per_day=0}, 0 for none. */
    static String limits(Limits l) {
        return " per_second=" + l.perSecond() + " per_day=" + l.perDay();
    }
}
