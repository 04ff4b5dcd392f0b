package dev.petrel.cli;

import dev.petrel.compliance.Consent;
import dev.petrel.compliance.ConsentExport;
import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.ConsentStatus;
import dev.petrel.config.Config;
import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import dev.petrel.policy.ConsentCheck;
import dev.petrel.store.Stores;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "consent", description = "The CASL consent ledger of a tenant: consents its broadcast mail relies on,"
        + " withdrawals, and the evidence of both", subcommands = {ConsentCommand.Add.class, ConsentCommand.Show.class,
        ConsentCommand.Withdraw.class, ConsentCommand.Export.class})
final class ConsentCommand {

    private ConsentCommand() {}

    /** Runs {@code work} on the ledger, opened from the configuration; an unknown tenant is exit status 1. */
    private static int onLedger(ConfigOption config, TenantId tenant, Function<ConsentLedger, Integer> work)
            throws Exception {
        Config c = config.load();
        try (Stores stores = Petrel.stores(c)) {
            if (stores.tenants().tenant(tenant).isEmpty()) {
                System.err.println("petrel: no tenant " + tenant);
                return Main.INVALID;
            }
            try {
                return work.apply(ConsentWiring.ledger(stores, Clock.systemUTC()));
            } catch (IllegalArgumentException e) {
                System.err.println("petrel: " + e.getMessage());
                return Main.INVALID;
            }
        }
    }

    /** One record as {@code show} prints it: id, kind, time, source, evidence. */
    static String line(Consent c) {
        Consent.Evidence e = c.evidence();
        StringBuilder out = new StringBuilder().append(c.id()).append(' ').append(c.kind().text()).append(' ')
                .append(DateTimeFormatter.ISO_INSTANT.format(c.at())).append(" source=").append(c.source());
        for (String[] f : new String[][] {{"form", e.form()}, {"url", e.url()}, {"ip", e.ip()},
                {"wording", e.wording()}, {"evidence", e.note()}}) {
            if (!f[1].isEmpty()) {
                out.append(' ').append(f[0]).append('=').append(f[1].contains(" ") ? "\"" + f[1] + "\"" : f[1]);
            }
        }
        return out.toString();
    }

    /** The status line {@code show} ends with. */
    static String status(ConsentStatus status) {
        return switch (status) {
            case ConsentStatus.Valid v -> "status: valid, relying on record " + v.record().id() + " ("
                    + v.record().kind().text() + ")" + (v.until() == null ? ", until withdrawn"
                    : ", until " + DateTimeFormatter.ISO_INSTANT.format(v.until()));
            case ConsentStatus.Refused r -> "status: " + ConsentCheck.text(r);
        };
    }

    /** The recipient a verb is about: {@code TENANT ADDRESS}. */
    static final class Recipient {
        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "ADDRESS", converter = Arguments.AddressArg.class)
        Address address;
    }

    /** Where a consent came from, as the tenant can show it. */
    static final class EvidenceOptions {
        @Option(names = "--evidence", paramLabel = "TEXT", description = "A note: how the consent was obtained")
        String note = "";

        @Option(names = "--form", paramLabel = "NAME", description = "The form it was given on")
        String form = "";

        @Option(names = "--url", paramLabel = "URL", description = "The page of the form")
        String url = "";

        @Option(names = "--ip", paramLabel = "ADDRESS", description = "The IP address it was given from")
        String ip = "";

        @Option(names = "--wording", paramLabel = "TEXT", description = "The words the person agreed to")
        String wording = "";

        Consent.Evidence evidence() {
            return new Consent.Evidence(form, url, ip, wording, note);
        }
    }

    @Command(name = "add", description = "Record a consent a recipient gave the tenant (records are never changed:"
            + " a correction is a new record)")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Recipient who;

        @Option(names = "--kind", required = true, paramLabel = "KIND", converter = Arguments.ConsentKindArg.class,
                description = "express, implied-business, implied-inquiry, implied-published or implied-non-business")
        Consent.Kind kind;

        @Option(names = "--at", required = true, paramLabel = "DATE", converter = Arguments.InstantArg.class,
                description = "When it was given: 2026-01-15 or 2026-01-15T10:00:00Z (UTC)")
        Instant at;

        @Mixin
        EvidenceOptions evidence;

        @Override
        public Integer call() throws Exception {
            if (kind == Consent.Kind.WITHDRAWAL) {
                System.err.println("petrel: --kind: a withdrawal is recorded with petrel consent withdraw");
                return Main.INVALID;
            }
            return onLedger(config, who.tenant, ledger -> {
                Consent c = ledger.add(who.tenant, who.address, kind, at, evidence.evidence(), "cli");
                System.out.println("consent " + c.id() + " (" + kind.text() + ") of " + c.recipient()
                        + " recorded for tenant " + who.tenant);
                return 0;
            });
        }
    }

    @Command(name = "show", description = "A recipient's records, oldest first, and whether consent holds now")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Recipient who;

        @Override
        public Integer call() throws Exception {
            return onLedger(config, who.tenant, ledger -> {
                ledger.records(who.tenant, who.address).forEach(c -> System.out.println(line(c)));
                System.out.println(status(ledger.status(who.tenant, who.address, false)));
                return 0;
            });
        }
    }

    @Command(name = "withdraw", description = "Record that a recipient withdrew consent (as an unsubscribe does)")
    static final class Withdraw implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        Recipient who;

        @Option(names = "--at", paramLabel = "DATE", converter = Arguments.InstantArg.class,
                description = "When it was withdrawn (default: now)")
        Instant at;

        @Mixin
        EvidenceOptions evidence;

        @Override
        public Integer call() throws Exception {
            return onLedger(config, who.tenant, ledger -> {
                Consent c = ledger.add(who.tenant, who.address, Consent.Kind.WITHDRAWAL,
                        at == null ? Instant.now() : at, evidence.evidence(), "cli");
                System.out.println("withdrawal " + c.id() + " of " + c.recipient() + " recorded for tenant "
                        + who.tenant);
                return 0;
            });
        }
    }

    @Command(name = "export", description = "Write the evidence of the tenant's consents (or one recipient's):"
            + " every record and withdrawal, and every broadcast message with the record it relied on")
    static final class Export implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "TENANT", converter = Arguments.TenantArg.class)
        TenantId tenant;

        @Parameters(index = "1", paramLabel = "ADDRESS", arity = "0..1", converter = Arguments.AddressArg.class)
        Address address;

        @Mixin
        SuppressionCommand.ExportFormat format;

        @Override
        public Integer call() throws Exception {
            Optional<Address> one = Optional.ofNullable(address);
            return onLedger(config, tenant, ledger -> SuppressionCommand.toStandardOutput(out -> ConsentExport.write(
                    ledger.records(tenant, one), ledger.uses(tenant, one), format.format, out)));
        }
    }
}
