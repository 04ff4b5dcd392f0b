package dev.petrel.cli;

import dev.petrel.bounce.Classifier;
import dev.petrel.bounce.FeedbackReceiver;
import dev.petrel.bounce.KeptReports;
import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.compliance.UnsubscribeRequests;
import dev.petrel.compliance.UnsubscribeSecret;
import dev.petrel.compliance.UnsubscribeTokens;
import dev.petrel.config.Config;
import dev.petrel.intake.Feedback;
import dev.petrel.intake.TenantMail;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.Domain;
import dev.petrel.mail.SendContext;
import dev.petrel.policy.FeedbackRecipients;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import dev.petrel.tenant.Tenant;
import dev.petrel.tenant.Tenants;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Feedback from receivers, wired from {@code [bounce]}: the VERP secret (made once in {@code data_dir/verp.key},
 * 32 octets from SecureRandom, mode 0600, never logged), the bounce addresses, what intake adds to tenant mail,
 * the receiver of DSNs and complaints with its kept reports ({@code data_dir/feedback/unparsed}, a Maildir), and
 * the adapters through which intake and the RCPT policy reach it; and the unsubscribe links of broadcast mail, whose
 * mailto form is an address of the bounce domain.
 */
final class FeedbackWiring {

    static final String SECRET_FILE = "verp.key";
    private static final int SECRET_OCTETS = 32;

    final BounceAddresses bounces;
    final TenantMail tenantMail;
    final FeedbackRecipients recipients;

    private FeedbackWiring(BounceAddresses bounces, TenantMail tenantMail, FeedbackRecipients recipients) {
        this.bounces = bounces;
        this.tenantMail = tenantMail;
        this.recipients = recipients;
    }

    /**
     * Broadcast mail's links, signed with a secret kept in data_dir so that sent links outlive restarts; with a
     * bounce domain, a mailto form too ({@code unsubscribe@BOUNCE_DOMAIN}).
     */
    static UnsubscribeLinks links(Config config, Tenants tenants, Streams streams, Clock clock) throws IOException {
        String domain = config.bounce().domain();
        return new UnsubscribeLinks(new UnsubscribeTokens(UnsubscribeSecret.open(config.dataDir(), new SecureRandom()),
                clock, config.http().unsubscribeValidity()), streams, tenants, config.http().publicUrl(),
                domain.isEmpty() ? null : new Address(UnsubscribeLinks.MAILBOX, Domain.parse(domain)));
    }

    /** @param unsubscribes what mail to the links' mailto address does */
    static FeedbackWiring of(Config config, Tenants tenants, Streams streams, FeedbackReceiver.Recorder events,
                             UnsubscribeRequests unsubscribes, Clock clock, PrintStream log, MeterRegistry meters)
            throws IOException {
        Config.Bounce b = config.bounce();
        String senderId = b.feedbackId().isEmpty() ? null : b.feedbackId();
        if (b.domain().isEmpty()) {
            return new FeedbackWiring(null, new TenantMail(null, senderId), FeedbackRecipients.NONE);
        }
        BounceAddresses bounces = new BounceAddresses(Domain.parse(b.domain()), secret(config.dataDir()));
        KeptReports kept = new KeptReports(config.dataDir().resolve("feedback").resolve("unparsed"), log::println,
                new SecureRandom());
        FunctionCounter.builder("petrel.feedback.kept", kept, KeptReports::count)
                .description("Reports from receivers that could not be read or named no message here, kept for an operator")
                .register(meters);
        Set<Address> complaints = b.complaints().stream().map(Address::of).collect(Collectors.toUnmodifiableSet());
        FeedbackReceiver receiver = new FeedbackReceiver(bounces, complaints, new StoredScopes(bounces, tenants, streams),
                events, clock, kept, Classifier.withRules(b.rules()), new Unsubscribes(unsubscribes));
        Door door = new Door(receiver);
        return new FeedbackWiring(bounces, new TenantMail(bounces, senderId, door), door);
    }

    /** The receiver as intake (which hands it reports) and the RCPT policy (which asks who it takes) see it. */
    private record Door(FeedbackReceiver receiver) implements Feedback, FeedbackRecipients {

        @Override
        public boolean isFeedbackAddress(Address to) {
            return receiver.isFeedbackAddress(to);
        }

        @Override
        public boolean accepts(Address to) {
            return receiver.accepts(to);
        }

        @Override
        public void receive(List<Address> recipients, byte[] content) throws IOException {
            receiver.receive(recipients, content);
        }
    }

    /** Mail to the unsubscribe address as the receiver sees it: a request its Subject's token makes. */
    private record Unsubscribes(UnsubscribeRequests requests) implements FeedbackReceiver.Requests {

        @Override
        public boolean isFor(Address to) {
            return requests.isMailbox(to);
        }

        @Override
        public boolean take(byte[] content) throws IOException {
            return requests.unsubscribeByMail(content).isPresent();
        }
    }

    /** The VERP secret: read, or made on first start (created exclusively, so two starts agree on one). */
    static byte[] secret(Path dataDir) throws IOException {
        Path file = dataDir.resolve(SECRET_FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[SECRET_OCTETS];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(dataDir);
            try (OutputStream out = Files.newOutputStream(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardOpenOption.WRITE)) {
                out.write(fresh);
            } catch (FileAlreadyExistsException e) {
                // another process made it first: read theirs
            }
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length < SECRET_OCTETS) {
            throw new IOException(file + ": the VERP secret is shorter than " + SECRET_OCTETS + " octets");
        }
        return secret;
    }

    /**
     * The tenant and stream of a keyed scope, found among the tenants' streams (and each tenant without a stream);
     * known scopes are kept, and an unknown one makes it read the store again.
     */
    private record StoredScopes(BounceAddresses bounces, Tenants tenants, Streams streams,
                                Map<String, SendContext> known) implements FeedbackReceiver.Scopes {

        StoredScopes(BounceAddresses bounces, Tenants tenants, Streams streams) {
            this(bounces, tenants, streams, new ConcurrentHashMap<>());
        }

        @Override
        public Optional<SendContext> context(String scope) {
            SendContext found = known.get(scope);
            if (found == null) {
                for (Tenant t : tenants.tenants()) {
                    String name = t.id().name();
                    known.put(bounces.scope(name, null), new SendContext(name, null, null, Map.of()));
                    for (Stream s : streams.streams(t.id())) {
                        known.put(bounces.scope(name, s.name()), new SendContext(name, s.name(), null, Map.of()));
                    }
                }
                found = known.get(scope);
            }
            return Optional.ofNullable(found);
        }
    }

}
