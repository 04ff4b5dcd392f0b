package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Tenancy;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "key", description = "Manage the API keys applications send with (HTTP, or SMTP AUTH as user"
        + " apikey)", subcommands = {KeyCommand.Create.class, KeyCommand.List.class, KeyCommand.Revoke.class})
final class KeyCommand {

    @Command(name = "create", description = "Create a key of a tenant and print it; it is shown this once")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Option(names = "--stream", paramLabel = "NAME", description = "The one stream the key may send on")
        String stream;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            Tenancy.IssuedKey issued;
            try (Stores stores = Petrel.stores(c)) {
                issued = Petrel.tenancy(c, stores, Clock.systemUTC()).createKey(tenant, Optional.ofNullable(stream));
            }
            System.err.println("API key " + issued.key().id() + " of tenant " + tenant
                    + (stream == null ? "" : " for stream " + stream) + " created; it is not shown again");
            System.out.println(issued.secret());
            return 0;
        }
    }

    @Command(name = "list", description = "List a tenant's keys (public ids, never the keys)")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Tenancy tenancy = Petrel.tenancy(c, stores, Clock.systemUTC());
                if (tenancy.tenant(tenant).isEmpty()) {
                    System.err.println("petrel: no tenant " + tenant);
                    return 1;
                }
                for (ApiKey k : tenancy.keys(tenant)) {
                    System.out.println(k.id() + " " + (k.stream() == null ? "*" : k.stream()) + " " + k.created());
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a key by its id; it stops working at once")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "KEY_ID")
        String id;

        @Option(names = "--tenant", paramLabel = "NAME", converter = Arguments.TenantArg.class,
                description = "Only a key of this tenant (another tenant's key is not touched)")
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Tenancy tenancy = Petrel.tenancy(c, stores, Clock.systemUTC());
                if (!(tenant == null ? tenancy.revokeKey(id) : tenancy.revokeKey(tenant, id))) {
                    System.err.println("petrel: no API key " + id + (tenant == null ? "" : " of tenant " + tenant));
                    return 1;
                }
            }
            System.out.println("API key " + id + " revoked");
            return 0;
        }
    }
}
