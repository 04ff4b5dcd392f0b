package dev.petrel.delivery.remote;

import dev.petrel.delivery.Egress;
import dev.petrel.dns.Route;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import dev.petrel.net.ClientChannel;
import dev.petrel.net.Deadlines;
import dev.petrel.smtp.client.ClientPhase;
import dev.petrel.smtp.client.ClientSession;
import dev.petrel.smtp.client.ClientSettings;
import dev.petrel.smtp.client.Step;
import dev.petrel.smtp.client.TlsPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection to one destination site from one egress (bound to one of its source addresses, introduced by its
 * EHLO name) that carries one message after another. The first {@link #send} tries the
 * route's hosts in order (RFC 5321 5.1: each MX by preference, each of its addresses) until one takes part in a
 * transaction; later sends reuse that connection while it stays open, and start over with the hosts when it does
 * not. Not thread-safe: one delivery thread owns it.
 */
public final class SiteConnection implements AutoCloseable {

    // RFC 3463 3.5: X.4.1 No answer from host
    static final EnhancedStatus NO_ANSWER = new EnhancedStatus(4, 4, 1);

    // RFC 5321 5.1: a host that fails before any transaction (refuses, times out, cannot do the TLS it must) is
    // skipped for the next one
    private static final Set<ClientPhase> HOST_FAILURE = Set.of(
            ClientPhase.GREETING, ClientPhase.EHLO, ClientPhase.STARTTLS, ClientPhase.TLS_HANDSHAKE);

    private final Route route;
    private final From from;
    private final TlsPolicy policy;
    private final RemoteSettings settings;
    private final TlsContexts tls;
    private final Deadlines deadlines;
    private Endpoint endpoint;
    private ClientChannel channel;
    private ClientSession session;
    private int connections;

    /**
     * Where a connection leaves from: the egress, the host name said in EHLO when the egress has no name of its
     * own, and the egress's turn counter, which spreads connections over its source addresses.
     */
    record From(Egress egress, String hostname, AtomicInteger turns) {

        String ehlo() {
            return egress.ehloOr(hostname);
        }

        /** False when the egress binds addresses, none of them of the destination's family (IPv4 or IPv6). */
        boolean reaches(InetAddress destination) {
            return egress.sources().isEmpty() || !egress.sourcesFor(destination).isEmpty();
        }

        /** The address to bind toward {@code destination}; null for the system's choice. */
        InetAddress source(InetAddress destination) {
            List<InetAddress> own = egress.sourcesFor(destination);
            return own.isEmpty() ? null : own.get(Math.floorMod(turns.getAndIncrement(), own.size()));
        }
    }

    SiteConnection(Route route, From from, TlsPolicy policy, RemoteSettings settings, TlsContexts tls,
                   Deadlines deadlines) {
        this.deadlines = deadlines;
        this.route = route;
        this.from = from;
        this.policy = policy;
        this.settings = settings;
        this.tls = tls;
    }

    /** Delivers one message to the site: one outcome per recipient of the transaction, in its order. */
    public List<Attempted> send(Transaction transaction) {
        if (isOpen()) {
            Endpoint reusedAt = endpoint;
            Conversation.Driven driven = converse(reusedAt, channel, session, session.newTransaction(transaction),
                    policy);
            if (driven.heard()) {
                return settle(reusedAt, driven.end());
            }
            // the server closed the idle connection before answering: nothing was taken, so try afresh
            drop();
        }
        return tryHosts(transaction);
    }

    /** True while a connection is open and idle between transactions. */
    public boolean isOpen() {
        return session != null && session.phase() == ClientPhase.READY;
    }

    /** The host of the open connection, as {@code host[ip]:port}, or empty when none is open. */
    public String relay() {
        return isOpen() ? endpoint.relay() : "";
    }

    /** True when the open connection runs over TLS. */
    public boolean tlsActive() {
        return isOpen() && channel.tlsActive();
    }

    /**
     * True when the server of the last transaction advertised DSN (RFC 3461): then it took over the NOTIFY
     * requests, and a success needs no report from us.
     */
    public boolean remoteOffersDsn() {
        return session != null && session.extensions().dsn();
    }

    /** How many TCP connections this object opened (for tests and metrics). */
    public int connections() {
        return connections;
    }

    private List<Attempted> tryHosts(Transaction transaction) {
        List<Attempted> lastFailure = List.of();
        boolean noneOffersRequireTls = transaction.tlsRequired();
        for (Route.Host host : route.hosts()) {
            for (InetAddress address : host.addresses()) {
                Endpoint endpoint = new Endpoint(host.name(), address, settings.port());
                if (!from.reaches(address)) {
                    // never from another egress's address, nor the system's: this one is skipped
                    lastFailure = unreachable(endpoint, transaction);
                    continue;
                }
                Tried tried = tryEndpoint(endpoint, transaction, policy);
                if (!tried.hostFailed()) {
                    return tried.outcomes();
                }
                lastFailure = tried.outcomes();
                noneOffersRequireTls &= refusedRequireTls(lastFailure);
            }
        }
        if (noneOffersRequireTls && !lastFailure.isEmpty()) {
            // RFC 8689 4.2.1: no MX host meets REQUIRETLS, so the message is not sent to the domain but returned
            return lastFailure;
        }
        // every host failed: the recipients wait for the next attempt, with the last host's error
        return lastFailure.stream().map(SiteConnection::deferred).toList();
    }

    private static boolean refusedRequireTls(List<Attempted> outcomes) {
        return outcomes.stream().allMatch(a -> a.outcome() instanceof RecipientOutcome.Failed f
                && EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED.equals(f.reply().status()));
    }

    private List<Attempted> unreachable(Endpoint endpoint, Transaction transaction) {
        Reply noSource = Reply.of(421, NO_ANSWER, "Egress " + from.egress().name() + " has no source address of the"
                + " family of " + endpoint.relay());
        return attach(endpoint, transaction.recipients().stream()
                .map(r -> (RecipientOutcome) new RecipientOutcome.Deferred(r, noSource)).toList(), false);
    }

    /** The outcomes of one host, and whether the host failed (so the next is tried). */
    private record Tried(List<Attempted> outcomes, boolean hostFailed) {}

    private Tried tryEndpoint(Endpoint endpoint, Transaction transaction, TlsPolicy tlsPolicy) {
        ClientChannel opened;
        try {
            opened = ClientChannel.connect(endpoint.socketAddress(), from.source(endpoint.address()),
                    settings.timeouts().connect(), deadlines);
            connections++;
        } catch (IOException e) {
            Reply noAnswer = Reply.of(421, NO_ANSWER,
                    "No answer from host " + endpoint.relay() + ": " + e.getMessage());
            return new Tried(attach(endpoint, transaction.recipients().stream()
                    .map(r -> (RecipientOutcome) new RecipientOutcome.Deferred(r, noAnswer)).toList(), false), true);
        }
        ClientSession fresh = new ClientSession(clientSettings(tlsPolicy), transaction);
        Conversation.Driven driven = converse(endpoint, opened, fresh, fresh.start(), tlsPolicy);
        return switch (driven.end()) {
            case Step.Ready ready -> {
                this.endpoint = endpoint;
                channel = opened;
                session = fresh;
                yield new Tried(attach(endpoint, ready.outcomes(), true), false);
            }
            case Step.Close close -> {
                opened.close();
                yield new Tried(attach(endpoint, close.outcomes(), true), HOST_FAILURE.contains(close.phase()));
            }
            case Step.RetryWithoutTls retry -> {
                opened.close();
                // RFC 7435 4: the handshake failed; the same host again, in cleartext
                yield tryEndpoint(endpoint, transaction, TlsPolicy.NONE);
            }
            default -> throw new IllegalStateException("unexpected end of a conversation: " + driven.end());
        };
    }

    private List<Attempted> settle(Endpoint used, Step end) {
        List<RecipientOutcome> outcomes = switch (end) {
            case Step.Ready ready -> ready.outcomes();
            case Step.Close close -> {
                drop();
                yield close.outcomes();
            }
            default -> throw new IllegalStateException("unexpected end of a transaction: " + end);
        };
        return attach(used, outcomes, true);
    }

    /** Runs a session; the certificate is verified only when TLS is required (RFC 7435 for the others). */
    private Conversation.Driven converse(Endpoint at, ClientChannel on, ClientSession with, Step first,
                                         TlsPolicy tlsPolicy) {
        ClientChannel.TlsUpgrade upgrade = tls.upgrade(at, tlsPolicy == TlsPolicy.REQUIRE);
        return new Conversation(on, with, settings.timeouts(), upgrade).run(first);
    }

    private ClientSettings clientSettings(TlsPolicy tlsPolicy) {
        return new ClientSettings(from.ehlo(), tlsPolicy, settings.chunkSize());
    }

    private static List<Attempted> attach(Endpoint endpoint, List<RecipientOutcome> outcomes, boolean answered) {
        List<Attempted> out = new ArrayList<>(outcomes.size());
        for (RecipientOutcome outcome : outcomes) {
            out.add(new Attempted(outcome, endpoint.host(), endpoint.ip(), endpoint.port(), answered));
        }
        return out;
    }

    private static Attempted deferred(Attempted failed) {
        RecipientOutcome outcome = failed.outcome();
        if (outcome instanceof RecipientOutcome.Deferred) {
            return failed;
        }
        return new Attempted(new RecipientOutcome.Deferred(outcome.recipient(), outcome.reply()),
                failed.host(), failed.ip(), failed.port(), failed.answered());
    }

    private void drop() {
        if (channel != null) {
            channel.close();
        }
        channel = null;
        endpoint = null;
        session = null;
    }

    /** Ends the session politely (QUIT, RFC 5321 4.1.1.10) when one is open, and closes the connection. */
    @Override
    public void close() {
        if (isOpen()) {
            converse(endpoint, channel, session, session.quit(), policy);
        }
        drop();
    }
}
