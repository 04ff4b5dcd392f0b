package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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
                            + (s.egress() == null ? "" : " egress=" + s.egress()) + s.limits().text()
                            + pause(s.pause()));
                }
            }
            return 0;
        }
    }

    // why the reputation guard paused it, and when: paused_at=2026-12-07T15:00:00Z reason="hard_bounce_rate: ..."
    private static String pause(Stream.Pause pause) {
        return pause == null ? "" : " paused_at=" + pause.at() + " reason=\"" + pause.summary() + "\"";
    }

    /** The stream a verb changes: TENANT NAME. */
    static final class Named {
        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;
    }

    @Command(name = "pause", description = "Pause a stream: its mail is accepted and held back from delivery")
    static final class Pause implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Named stream;

        @Override
        public Integer call() throws Exception {
            return change(config, stream, (t, s) -> t.setPaused(s.tenant, s.name, true), "paused");
        }
    }

    @Command(name = "resume", description = "Resume a paused stream: its held-back mail goes out, and the reputation"
            + " guard judges it afresh on what is sent from now on")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Named stream;

        @Override
        public Integer call() throws Exception {
            return change(config, stream, (t, s) -> t.setPaused(s.tenant, s.name, false), "resumed");
        }
    }

    @Command(name = "set", description = "Change a stream's settings: the sandbox, and its limits (messages a second"
            + " and a day, on top of its tenant's; 0 for no limit)")
    static final class Set implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Named stream;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Changes changes;

        static final class Changes extends LimitOptions {
            @Option(names = "--sandbox", paramLabel = "true|false", arity = "1",
                    description = "In the sandbox, mail is accepted and reported delivered, and nothing is sent")
            Boolean sandbox;
        }

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            try (Stores stores = Petrel.stores(c)) {
                Tenancy tenancy = Petrel.tenancy(c, stores, Clock.systemUTC());
                if (tenancy.stream(stream.tenant, stream.name).isEmpty()) {
                    System.err.println("petrel: tenant " + stream.tenant + " has no stream " + stream.name);
                    return 1;
                }
                String of = "stream " + stream.name + " of tenant " + stream.tenant;
                if (changes.sandbox != null) {
                    tenancy.setSandbox(stream.tenant, stream.name, changes.sandbox);
                    System.out.println(of + (changes.sandbox ? " in the sandbox" : " out of the sandbox"));
                }
                if (changes.limitsGiven()) {
                    Stream set = tenancy.setLimits(stream.tenant, stream.name, changes.perSecond, changes.perDay)
                            .orElseThrow();
                    System.out.println(of + " limits set:" + TenantCommand.limits(set.limits()));
                }
            }
            return 0;
        }
    }

    // one change of one stream; false from the change: the tenant has no such stream
    private static int change(ConfigOption config, Named stream,
                              java.util.function.BiPredicate<Tenancy, Named> change, String done) throws Exception {
        Config c = config.load();
        try (Stores stores = Petrel.stores(c)) {
            if (!change.test(Petrel.tenancy(c, stores, Clock.systemUTC()), stream)) {
                System.err.println("petrel: tenant " + stream.tenant + " has no stream " + stream.name);
                return 1;
            }
        }
        System.out.println("stream " + stream.name + " of tenant " + stream.tenant + " " + done);
        return 0;
    }
}
