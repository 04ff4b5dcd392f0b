package dev.petrel.server;

import dev.petrel.event.EventSink;
import dev.petrel.event.MailEvent;
import dev.petrel.intake.Intake;
import dev.petrel.intake.Submission;
import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.policy.Client;
import dev.petrel.policy.KeySending;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.smtp.Authenticator;
import dev.petrel.smtp.SessionHooks;
import dev.petrel.smtp.SessionInfo;
import java.net.InetAddress;
import java.time.Clock;

/**
 * Answers an SMTP session's questions with policy and intake: the one place where the protocol meets the
 * rest of the server.
 */
final class SessionBridge implements SessionHooks {

    private final Role role;
    private final InetAddress client;
    private final RelayPolicy policy;
    private final AuthFailureLimiter authFailures;
    private final Intake intake;
    private final Authenticator authenticator;
    private final EventSink events;
    private final Clock clock;
    private final MilterChain milters;
    // the current transaction's message was let through by the send limits (at its first accepted RCPT)
    private boolean admitted;
    // the queue id the milters were told at MAIL ({i}), the one the message is queued under
    private QueueId promised;

    SessionBridge(Role role, InetAddress client, RelayPolicy policy, AuthFailureLimiter authFailures, Intake intake,
                  Authenticator authenticator, EventSink events, Clock clock, MilterChain milters) {
        this.milters = milters;
        this.role = role;
        this.client = client;
        this.policy = policy;
        this.authFailures = authFailures;
        this.intake = intake;
        this.authenticator = authenticator;
        this.events = events;
        this.clock = clock;
    }

    private Client client(SessionInfo session) {
        return new Client(client, session.user());
    }

    @Override
    public Decision connect(SessionInfo session) {
        Decision d = authFailures.check(client);
        if (d instanceof Decision.Accept && !milters.isEmpty()) {
            d = milters.connect(client);
        }
        return logged(session, "connect", null, null, d);
    }

    @Override
    public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize) {
        return mailFrom(session, sender, declaredSize, "");
    }

    @Override
    public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize, String parameters) {
        admitted = false;
        Decision d = policy.mailFrom(client(session), sender);
        if (d instanceof Decision.Accept) {
            d = intake.storageRefusal(declaredSize).<Decision>map(Decision.Defer::new).orElse(d);
        }
        if (d instanceof Decision.Accept && !milters.isEmpty()) {
            promised = intake.newId();
            d = milters.mail(session.helo(), session.tlsProtocol(), session.tlsCipher(), sender.toString(),
                    session.user(), parameters, promised.toString());
        }
        return logged(session, "mail", sender, null, d);
    }

    @Override
    public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient) {
        return rcptTo(session, sender, recipient, "");
    }

    @Override
    public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient, String parameters) {
        Decision d = policy.rcptTo(client(session), recipient);
        if (d instanceof Decision.Accept) {
            // a suppressed recipient is told to the feed as message.suppressed, by the policy, not as a rejection
            // (one without consent as message.rejected with its reason and tenant, by the policy too);
            // it is asked first, so that a suppressed recipient costs no part of a rate
            Decision suppressed = policy.compliance(client(session), recipient);
            if (!(suppressed instanceof Decision.Accept)) {
                return suppressed;
            }
        }
        if (d instanceof Decision.Accept && !admitted) {
            // one decision per message: the send limits count it once, at its first accepted recipient
            d = policy.admitMessage(client(session));
            admitted = d instanceof Decision.Accept;
        }
        if (d instanceof Decision.Accept && !milters.isEmpty()) {
            d = milters.rcpt(recipient.address().toString(), parameters);
        }
        return logged(session, "rcpt", sender, recipient, d);
    }

    private Decision logged(SessionInfo session, String stage, ReversePath sender, Recipient recipient, Decision d) {
        Reply reply = switch (d) {
            case Decision.Accept a -> null;
            case Decision.Reject r -> r.reply();
            case Decision.Defer f -> f.reply();
        };
        if (reply != null) {
            events.publish(new MailEvent.Rejected(clock.instant(), session.clientAddress(), stage,
                    sender == null ? null : sender.toString(),
                    recipient == null ? null : recipient.address().toString(), reply.summary()));
        }
        return d;
    }

    @Override
    public Reply deliver(SessionInfo session, Envelope envelope, byte[] content) {
        boolean submitted = role.submission() && session.user() != null;
        boolean ours = session.user() != null || policy.inRelayNetworks(client(session));
        return switch (policy.submission(client(session), content)) {
            case KeySending.Verdict.Refused r -> {
                events.publish(new MailEvent.Rejected(clock.instant(), session.clientAddress(), "data",
                        envelope.reversePath().toString(), null, r.reply().summary()));
                yield r.reply();
            }
            case KeySending.Verdict.Accepted a -> {
                if (policy.streamCompliance(client(session), a.context(), envelope.recipients())
                        instanceof Decision.Reject r) {
                    yield r.reply();
                }
                yield filtered(session, envelope, new Submission(envelope, a.content(), session.protocol(),
                        session.tlsProtocol(), session.tlsCipher(), submitted, ours, a.context()));
            }
        };
    }

    // the milters' verdict on the message, then intake: their header fields go in before intake's DKIM signature
    private Reply filtered(SessionInfo session, Envelope envelope, Submission submission) {
        if (milters.isEmpty()) {
            return intake.accept(submission);
        }
        return switch (milters.message(submission.content(), promised.toString())) {
            case MilterChain.Outcome.Pass p -> intake.accept(submission.with(p.content(), p.quarantine() != null,
                    promised));
            case MilterChain.Outcome.Refuse r -> {
                events.publish(new MailEvent.Rejected(clock.instant(), session.clientAddress(), "milter",
                        envelope.reversePath().toString(), null, r.reply().summary()));
                yield r.reply();
            }
            case MilterChain.Outcome.Discard d -> {
                events.publish(new MailEvent.Rejected(clock.instant(), session.clientAddress(), "milter",
                        envelope.reversePath().toString(), null, "discarded by a milter"));
                yield Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok: discarded");
            }
        };
    }

    @Override
    public Decision authFailed(SessionInfo session) {
        return authFailures.failed(client);
    }

    @Override
    public void rejected(SessionInfo session, String stage, Reply reply) {
        events.publish(new MailEvent.Rejected(clock.instant(), session.clientAddress(), stage, null, null, reply.summary()));
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }
}
