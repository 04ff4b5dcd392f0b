package dev.petrel.server;

import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import dev.petrel.milter.FilterReply;
import dev.petrel.milter.HeaderFields;
import dev.petrel.milter.MessageEdits;
import dev.petrel.milter.MilterSession;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Function;

/**
 * One SMTP session's filters, asked in order at each stage. A filter's ACCEPT spares it the rest of the
 * transaction (before MAIL, the rest of the connection); REJECT, TEMPFAIL and a reply code of its own end the
 * stage with that answer; DISCARD takes the message and drops it. A filter that cannot be reached, does not answer
 * in time or breaks the protocol is left for the rest of the session, which its default action answers from then
 * on (Postfix's milter_default_action).
 */
final class MilterChain implements AutoCloseable {

    /** What came of a message at end of data. */
    sealed interface Outcome {
        /** Let through, as the filters changed it, on hold when one asked (with its reason). */
        record Pass(byte[] content, String quarantine) implements Outcome {}

        record Refuse(Reply reply) implements Outcome {}

        /** Taken and dropped. */
        record Discard() implements Outcome {}
    }

    static final Reply REJECTED = Reply.of(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, "Command rejected");
    static final Reply TEMPFAILED = Reply.of(451, new EnhancedStatus(4, 7, 1), "Service unavailable - try again later");

    private final List<Filter> filters;
    private final MilterMacros macros;
    private boolean inTransaction;
    private boolean discard;
    private String heloSent;

    private static final class Filter {
        final MilterOptions options;
        MilterLink link;
        boolean failed;
        boolean doneForConnection;
        boolean doneForTransaction;

        Filter(MilterOptions options) {
            this.options = options;
        }

        boolean asked() {
            return !failed && !doneForConnection && !doneForTransaction;
        }
    }

    MilterChain(List<MilterOptions> filters, Role role, MilterMacros macros) {
        this.filters = filters.stream().filter(f -> f.roles().contains(role)).map(Filter::new).toList();
        this.macros = macros;
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /** Connects to each filter and shows it the client; a filter away now answers with its default action later. */
    Decision connect(InetAddress client) {
        for (Filter f : filters) {
            try {
                f.link = MilterLink.open(f.options);
            } catch (IOException e) {
                f.failed = true;
            }
        }
        // a filter away now does not refuse the greeting: its default action answers MAIL, as Postfix's does
        return ask(s -> s.connect("[" + client.getHostAddress() + "]", client, 0, macros.connect(client)), true,
                false);
    }

    /** HELO when it is new to the filters, ABORT of an unfinished transaction, then MAIL. */
    Decision mail(String helo, String tlsProtocol, String tlsCipher, String sender, String user, String parameters,
                  String queueId) {
        abortTransaction();
        Decision d = new Decision.Accept();
        if (helo != null && !helo.equals(heloSent)) {
            heloSent = helo;
            d = ask(s -> s.helo(helo, macros.helo(tlsProtocol, tlsCipher)), true, true);
        }
        inTransaction = true;
        discard = false;
        filters.forEach(f -> f.doneForTransaction = false);
        return d instanceof Decision.Accept
                ? ask(s -> s.mail(sender, split(parameters), macros.mail(queueId, sender, user)), false, true) : d;
    }

    Decision rcpt(String recipient, String parameters) {
        return ask(s -> s.rcpt(recipient, split(parameters), macros.rcpt(recipient)), false, true);
    }

    private static List<String> split(String parameters) {
        return parameters == null || parameters.isBlank() ? List.of() : List.of(parameters.strip().split("\\s+"));
    }

    private void abortTransaction() {
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
        for (Filter f : filters) {
            if (!f.failed && !f.doneForConnection) {
                try {
                    f.link.tell(MilterSession.abort());
                } catch (IOException e) {
                    fail(f);
                }
            }
        }
    }

    // one stage to every filter still asked, in order; the first answer other than CONTINUE or ACCEPT ends it
    private Decision ask(Function<MilterSession, MilterSession.Step> stage, boolean connectionLevel,
                         boolean defaults) {
        for (Filter f : filters) {
            if (f.failed && !defaults) {
                continue;
            }
            if (f.failed) {
                Decision d = defaultDecision(f);
                if (!(d instanceof Decision.Accept)) {
                    return d;
                }
                continue;
            }
            if (!f.asked()) {
                continue;
            }
            FilterReply reply;
            try {
                reply = f.link.exchange(stage.apply(f.link.session()), null,
                        System.nanoTime() + f.options.commandTimeout().toNanos());
            } catch (IOException e) {
                fail(f);
                Decision d = defaultDecision(f);
                if (!(d instanceof Decision.Accept)) {
                    return d;
                }
                continue;
            }
            Decision d = verdict(f, reply, connectionLevel);
            if (!(d instanceof Decision.Accept)) {
                return d;
            }
        }
        return new Decision.Accept();
    }

    private Decision verdict(Filter f, FilterReply reply, boolean connectionLevel) {
        return switch (reply) {
            case FilterReply.Accept a -> {
                if (connectionLevel) {
                    f.doneForConnection = true;
                } else {
                    f.doneForTransaction = true;
                }
                yield new Decision.Accept();
            }
            case FilterReply.Discard d -> {
                discard = true;
                f.doneForTransaction = true;
                yield new Decision.Accept();
            }
            case FilterReply.Reject r -> new Decision.Reject(REJECTED);
            case FilterReply.Tempfail t -> new Decision.Defer(TEMPFAILED);
            case FilterReply.ReplyCode c -> refusal(MilterMacros.reply(c.text()));
            default -> new Decision.Accept(); // CONTINUE, and SKIP outside the body
        };
    }

    private static Decision refusal(Reply reply) {
        return reply.isTransient() ? new Decision.Defer(reply) : new Decision.Reject(reply);
    }

    private static Decision defaultDecision(Filter f) {
        return switch (f.options.defaultAction()) {
            case ACCEPT -> new Decision.Accept();
            case TEMPFAIL -> new Decision.Defer(TEMPFAILED);
            case REJECT -> new Decision.Reject(REJECTED);
        };
    }

    private void fail(Filter f) {
        f.failed = true;
        if (f.link != null) {
            f.link.close();
            f.link = null;
        }
    }

    /** DATA, the header fields, EOH, the body and end of message to each filter in turn, each seeing the last's changes. */
    Outcome message(byte[] content, String queueId) {
        inTransaction = false;
        String quarantine = null;
        for (Filter f : filters) {
            Outcome o = f.failed ? fromDefault(f, content)
                    : !f.asked() ? new Outcome.Pass(content, null) : message(f, content, queueId);
            switch (o) {
                case Outcome.Pass p -> {
                    content = p.content();
                    quarantine = p.quarantine() != null ? p.quarantine() : quarantine;
                }
                case Outcome.Refuse r -> {
                    return r;
                }
                case Outcome.Discard d -> discard = true;
            }
        }
        return discard ? new Outcome.Discard() : new Outcome.Pass(content, quarantine);
    }

    private static Outcome fromDefault(Filter f, byte[] content) {
        return switch (defaultDecision(f)) {
            case Decision.Accept a -> new Outcome.Pass(content, null);
            case Decision.Reject r -> new Outcome.Refuse(r.reply());
            case Decision.Defer d -> new Outcome.Refuse(d.reply());
        };
    }

    private Outcome message(Filter f, byte[] content, String queueId) {
        long limit = System.nanoTime() + f.options.totalTimeout().toNanos();
        MilterSession s = f.link.session();
        MessageEdits edits = new MessageEdits(MilterLink.leadingSpace(s));
        try {
            FilterReply reply = f.link.content(content, edits, limit, macros.endOfMessage(queueId));
            f.doneForTransaction = false;
            return switch (reply) {
                case FilterReply.Accept a -> new Outcome.Pass(edits.apply(content), edits.quarantine());
                case FilterReply.Continue c -> new Outcome.Pass(edits.apply(content), edits.quarantine());
                case FilterReply.Discard d -> new Outcome.Discard();
                default -> switch (verdict(f, reply, false)) {
                    case Decision.Reject r -> new Outcome.Refuse(r.reply());
                    case Decision.Defer d -> new Outcome.Refuse(d.reply());
                    case Decision.Accept a -> new Outcome.Pass(edits.apply(content), edits.quarantine());
                };
            };
        } catch (IOException e) {
            fail(f);
            return fromDefault(f, content);
        }
    }

    /** QUIT to every filter still connected. */
    @Override
    public void close() {
        for (Filter f : filters) {
            if (f.link != null) {
                f.link.close();
                f.link = null;
            }
        }
    }
}
