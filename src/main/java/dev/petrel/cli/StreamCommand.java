package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Stream;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stream", description = "Manage a tenant's streams: transactional or broadcast mail, each with its"
        + " own egress and limits", subcommands = {StreamCommand.Add.class, StreamCommand.List.class,
        StreamCommand.Pause.class, StreamCommand.Resume.class, StreamCommand.Set.class})
final class StreamCommand {

    @Command(name = "add", description = "Add a stream to a tenant")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--kind", paramLabel = "transactional|broadcast", required = true,
                converter = Arguments.StreamKindArg.class)
        Stream.Kind kind;

        @Option(names = "--source", paramLabel = "ADDRESS", description = "The source address of remote delivery")
        String source;

        @Option(names = "--ehlo", paramLabel = "NAME", description = "The name given in EHLO to remote servers")
        String ehlo;

        @Option(names = "--egress", paramLabel = "POOL", description = "Send from this [[delivery.egress]] pool"
                + " (instead of --source and --ehlo)")
        String egress;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            if (egress != null && c.delivery().pool(egress).isEmpty()) {
                System.err.println("petrel: no egress pool " + egress + " in the configuration ([[delivery.egress]]"
                        + " name = \"" + egress + "\")");
                return 1;
            }
            try (Stores stores = Petrel.stores(c)) {
                Petrel.tenancy(c, stores, Clock.systemUTC()).addStream(tenant, name, kind, source, ehlo, egress);
            }
            System.out.println("stream " + name + " (" + kind.text() + ") added to tenant " + tenant);
            return 0;
        }
    }

    @Command(name = "list", description = "List a tenant's streams")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                for (Stream s : Petrel.tenancy(c, stores, Clock.systemUTC()).streams(tenant)) {
                    System.out.println(s.name() + " " + s.kind().text() + (s.paused() ? " paused" : "")
                            + (s.sandbox() ? " sandbox" : "") + (s.source() == null ? "" : " source=" + s.source())
                            + (s.ehlo() == null ? "" : " ehlo=" + s.ehlo())
                            + (s.egress() == null ? "" : " egress=" + s.egress()));
                }
            }
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause a stream")
    static final class Pause implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            return paused(config, tenant, name, true);
        }
    }

    @Command(name = "resume", description = "Resume a paused stream")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            return paused(config, tenant, name, false);
        }
    }

    @Command(name = "set", description = "Change a stream's settings")
    static final class Set implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--sandbox", paramLabel = "true|false", required = true, arity = "1",
                description = "In the sandbox, mail is accepted and reported delivered, and nothing is sent")
        boolean sandbox;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                if (!Petrel.tenancy(c, stores, Clock.systemUTC()).setSandbox(tenant, name, sandbox)) {
                    System.err.println("petrel: tenant " + tenant + " has no stream " + name);
                    return 1;
                }
            }
            System.out.println("stream " + name + " of tenant " + tenant + (sandbox ? " in" : " out of")
                    + " the sandbox");
            return 0;
        }
    }

    private static int paused(ConfigOption config, TenantId tenant, String name, boolean paused) throws Exception {
        Config c = config.load();
        try (Stores stores = Petrel.stores(c)) {
            if (!Petrel.tenancy(c, stores, Clock.systemUTC()).setPaused(tenant, name, paused)) {
                System.err.println("petrel: tenant " + tenant + " has no stream " + name);
                return 1;
            }
        }
        System.out.println("stream " + name + " of tenant " + tenant + (paused ? " paused" : " resumed"));
        return 0;
    }
}
