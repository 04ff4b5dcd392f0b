package dev.petrel.cli;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.SuppressionExport;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.config.Config;
import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "suppression", description = "Manage a tenant's suppression list: addresses its mail is not sent to"
        + " (on every stream, or on one with --stream)", subcommands = {SuppressionCommand.Add.class,
        SuppressionCommand.Remove.class, SuppressionCommand.List.class, SuppressionCommand.Export.class})
final class SuppressionCommand {

    private SuppressionCommand() {}

    /** Runs {@code work} on the tenant's list, opened from the configuration; an unknown tenant is exit status 1. */
    private static int onList(ConfigOption config, TenantId tenant, Function<SuppressionList, Integer> work)
            throws Exception {
        Config c = config.load();
        try (Stores stores = Petrel.stores(c)) {
            SuppressionList list = SuppressionWiring.list(stores, Petrel.tenancy(c, stores, Clock.systemUTC()),
                    Clock.systemUTC());
            if (!list.hasTenant(tenant)) {
                System.err.println("petrel: no tenant " + tenant);
                return Main.INVALID;
            }
            return work.apply(list);
        }
    }

    private static String scope(Optional<String> stream) {
        return stream.map(s -> "on stream " + s).orElse("on every stream");
    }

    /** One entry as {@code list} prints it: address, stream (* for every stream), reason, time, source event. */
    static String line(Suppression s) {
        return s.address() + " " + (s.stream() == null ? "*" : s.stream()) + " " + s.reason().code() + " "
                + DateTimeFormatter.ISO_INSTANT.format(s.created())
                + (s.sourceEvent() == null ? "" : " event=" + s.sourceEvent());
    }

    /** The entry a verb is about: {@code TENANT ADDRESS [--stream NAME]}. */
    static final class Entry {
        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "ADDRESS", converter = Arguments.AddressArg.class)
        Address address;

        @Option(names = "--stream", paramLabel = "NAME", description = "The entry of this stream of the tenant;"
                + " without it, the entry of every stream")
        String stream;
    }

    @Command(name = "add", description = "Suppress an address for a tenant, on every stream or on one")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Entry entry;

        @Option(names = "--reason", paramLabel = "REASON", converter = Arguments.ReasonArg.class,
                description = "manual (the default), hard_bounce, unsubscribe or complaint (to import a list)")
        Suppression.Reason reason = Suppression.Reason.MANUAL;

        @Override
        public Integer call() throws Exception {
            return onList(config, entry.tenant, list -> {
                Suppression s = list.add(entry.tenant, entry.address, Optional.ofNullable(entry.stream), reason);
                System.out.println(s.address() + " suppressed for tenant " + entry.tenant + " "
                        + scope(Optional.ofNullable(s.stream())) + ": " + s.describe());
                return 0;
            });
        }
    }

    @Command(name = "remove", description = "Remove an address's suppression, of every stream or (--stream) of one")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Entry entry;

        @Override
        public Integer call() throws Exception {
            return onList(config, entry.tenant, list -> {
                Optional<String> scope = Optional.ofNullable(entry.stream);
                String what = entry.address + " for tenant " + entry.tenant + " " + scope(scope);
                if (!list.remove(entry.tenant, entry.address, scope)) {
                    System.err.println("petrel: no suppression of " + what);
                    return Main.INVALID;
                }
                System.out.println("suppression of " + what + " removed");
                return 0;
            });
        }
    }

    @Command(name = "list", description = "List a tenant's suppressions (of one address: exit status 1 when it has"
            + " none): address, stream (* for every stream), reason, time, source event")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "ADDRESS", arity = "0..1", converter = Arguments.AddressArg.class)
        Address address;

        @Option(names = "--stream", paramLabel = "NAME", description = "Only the entries of this stream")
        String stream;

        @Override
        public Integer call() throws Exception {
            return onList(config, tenant, list -> {
                java.util.List<Suppression> found = address == null ? list.all(tenant)
                        : list.entries(tenant, address);
                found.stream().filter(s -> stream == null || stream.equals(s.stream()))
                        .forEach(s -> System.out.println(line(s)));
                if (address != null && found.isEmpty()) {
                    System.err.println("petrel: " + address + " is not suppressed for tenant " + tenant);
                    return Main.INVALID;
                }
                return 0;
            });
        }
    }

    @Command(name = "export", description = "Write a tenant's whole suppression list to standard output")
    static final class Export implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Mixin
        ExportFormat format;

        @Override
        public Integer call() throws Exception {
            return onList(config, tenant, list -> toStandardOutput(out -> SuppressionExport.write(list.all(tenant),
                    format.format, out)));
        }
    }

    /** {@code --format json|csv}, of the export verbs. */
    static final class ExportFormat {
        @Option(names = "--format", paramLabel = "json|csv", converter = Arguments.ExportFormatArg.class,
                description = "json (the default) or csv")
        SuppressionExport.Format format = SuppressionExport.Format.JSON;
    }

    /** What an export verb writes. */
    @FunctionalInterface
    interface ExportWriting {
        void write(Writer out) throws java.io.IOException;
    }

    /** Writes an export to standard output in UTF-8; exit status 0. */
    static int toStandardOutput(ExportWriting export) {
        try {
            export.write(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return 0;
    }
}
