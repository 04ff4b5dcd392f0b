package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.webhook.TargetCheck;
import dev.petrel.webhook.WebhookOperations;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "webhook", description = "Manage webhook endpoints (a running server sees changes within seconds)",
        subcommands = {WebhookCommand.Add.class, WebhookCommand.List.class, WebhookCommand.Remove.class})
final class WebhookCommand {

    static WebhookOperations operations(Config config, Stores stores) {
        return new WebhookOperations(stores.webhooks(),
                new TargetCheck(config.http().webhookAllowPrivate(), TargetCheck.Resolver.SYSTEM),
                Clock.systemUTC(), new SecureRandom());
    }

    @Command(name = "add", description = "Add an endpoint; prints its id and its signing secret, shown only this once")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "URL")
        String url;

        @Option(names = "--events", split = ",", paramLabel = "TYPE",
                description = "Event types to send (message.delivered,message.bounced,...); all when not given")
        java.util.List<String> events = java.util.List.of();

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                if (Petrel.tenancy(c, stores, Clock.systemUTC()).tenant(tenant).isEmpty()) {
                    System.err.println("petrel: no tenant " + tenant + " (petrel tenant add " + tenant + ")");
                    return 1;
                }
                WebhookOperations.Created created = operations(c, stores).create(tenant, url, events);
                System.out.println("webhook " + created.endpoint().id() + " added for " + url);
                System.out.println("secret " + created.secret());
                System.out.println("(the secret is shown only now: keep it to verify signatures)");
            } catch (TargetCheck.Refused e) {
                System.err.println("petrel: URL refused: " + e.getMessage());
                return 1;
            } catch (IllegalArgumentException e) {
                System.err.println("petrel: --events: " + e.getMessage());
                return 2;
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List endpoints (of every tenant, or of TENANT): id, tenant, state, events,"
            + " pending deliveries, URL")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "TENANT", arity = "0..1", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                WebhookOperations operations = operations(c, stores);
                for (WebhookOperations.View v : tenant == null ? operations.listAll() : operations.list(tenant)) {
                    System.out.println(line(v));
                }
            }
            return 0;
        }

        static String line(WebhookOperations.View v) {
            String events = v.events().isEmpty() ? "*" : String.join(",", v.events());
            String state = v.enabled() ? "enabled" : "disabled";
            StringBuilder out = new StringBuilder(v.id() + " " + v.tenant() + " " + state + " events=" + events
                    + " pending=" + v.pending() + " failures=" + v.failures() + " dropped=" + v.dropped() + " " + v.url());
            if (!v.enabled()) {
                out.append("\n    disabled: ").append(v.disabledReason());
            } else if (v.lastError() != null && v.failures() > 0) {
                out.append("\n    last error: ").append(v.lastError());
            }
            return out.toString();
        }
    }

    @Command(name = "remove", description = "Remove an endpoint and the deliveries it is owed")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--tenant", paramLabel = "NAME", converter = Arguments.TenantArg.class,
                description = "Only an endpoint of this tenant (another tenant's is not touched)")
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                WebhookOperations operations = operations(c, stores);
                if (!(tenant == null ? operations.delete(id) : operations.delete(tenant, id))) {
                    System.err.println("petrel: no webhook " + id + (tenant == null ? "" : " of tenant " + tenant));
                    return 1;
                }
            }
            System.out.println("webhook " + id + " removed");
            return 0;
        }
    }

    private WebhookCommand() {}

}
