package dev.petrel.server;

import dev.petrel.milter.Codes;
import dev.petrel.milter.FilterReply;
import dev.petrel.milter.HeaderFields;
import dev.petrel.milter.MessageEdits;
import dev.petrel.milter.MilterSession;
import dev.petrel.milter.Negotiated;
import dev.petrel.milter.Packet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session's conversation with one filter: connected and negotiated on open, then each stage's packets
 * written and the filter's answer read within the command timeout (a PROGRESS restarts it), modifications at end
 * of message gathered into {@link MessageEdits}. Any failure is an {@link IOException} (a broken protocol too):
 * the caller applies the default action.
 */
final class MilterLink implements AutoCloseable {

    private final MilterChannel channel;
    private final MilterSession session;
    private final Duration commandTimeout;

    private MilterLink(MilterChannel channel, MilterSession session, Duration commandTimeout) {
        this.channel = channel;
        this.session = session;
        this.commandTimeout = commandTimeout;
    }

    static MilterLink open(MilterOptions options) throws IOException {
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        MilterChannel channel = MilterChannel.connect(options.address(), deadline);
        try {
            channel.write(Negotiated.offer(), deadline);
            Negotiated negotiated = Negotiated.read(channel.read(deadline));
            return new MilterLink(channel, new MilterSession(negotiated), options.commandTimeout());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    MilterSession session() {
        return session;
    }

    /**
     * Sends a stage and returns the filter's verdict (CONTINUE when the stage is not answered); modifications
     * before it go to {@code edits} (null where none may come). No answer past {@code limit} (System.nanoTime)
     * fails, whatever PROGRESS said.
     */
    FilterReply exchange(MilterSession.Step step, MessageEdits edits, long limit) throws IOException {
        try {
            long deadline = deadline(limit);
            for (Packet p : step.packets()) {
                channel.write(p, deadline);
            }
            if (!step.answered()) {
                return new FilterReply.Continue();
            }
            while (true) {
                FilterReply reply = FilterReply.read(channel.read(deadline), session.negotiated().actions());
                if (reply.ends()) {
                    return reply;
                }
                if (reply instanceof FilterReply.Progress) {
                    deadline = deadline(limit);
                } else if (edits == null || !edits.add(reply)) {
                    throw new IOException("filter sent " + reply + " before end of message");
                }
            }
        } catch (RuntimeException e) {
            // a packet that breaks the protocol: the filter is as good as away
            throw new IOException("milter protocol: " + e.getMessage(), e);
        }
    }

    /**
     * The message's stages: DATA, each header field, EOH, the body (until the filter says SKIP) and end of message,
     * all within {@code limit}; the first verdict other than CONTINUE ends it early.
     */
    FilterReply content(byte[] message, MessageEdits edits, long limit, Map<String, String> endOfMessage)
            throws IOException {
        HeaderFields fields = HeaderFields.read(message);
        List<MilterSession.Step> steps = new ArrayList<>();
        steps.add(session.data(Map.of()));
        steps.addAll(session.headers(fields));
        steps.add(session.endOfHeaders(Map.of()));
        for (MilterSession.Step step : steps) {
            FilterReply r = exchange(step, null, limit);
            if (!(r instanceof FilterReply.Continue)) {
                return r;
            }
        }
        for (MilterSession.Step chunk : session.body(message, fields.bodyOffset())) {
            FilterReply r = exchange(chunk, null, limit);
            if (r instanceof FilterReply.Skip) {
                break;
            }
            if (!(r instanceof FilterReply.Continue)) {
                return r;
            }
        }
        return exchange(session.endOfMessage(endOfMessage), edits, limit);
    }

    private long deadline(long limit) {
        return Math.min(limit, System.nanoTime() + commandTimeout.toNanos());
    }

    /** Sends what is not answered (ABORT), as far as the filter takes it. */
    void tell(MilterSession.Step step) throws IOException {
        long deadline = System.nanoTime() + commandTimeout.toNanos();
        for (Packet p : step.packets()) {
            channel.write(p, deadline);
        }
    }

    /** SMFIC_QUIT, then the socket closes. */
    @Override
    public void close() {
        try {
            tell(MilterSession.quit());
        } catch (IOException ignored) {
            // leaving anyway
        } finally {
            channel.close();
        }
    }

    static boolean leadingSpace(MilterSession s) {
        return s.negotiated().skips(Codes.HEADER_LEADING_SPACE);
    }
}
