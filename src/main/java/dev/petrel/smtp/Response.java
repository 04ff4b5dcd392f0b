package dev.petrel.smtp;

import dev.petrel.mail.Reply;
import java.util.List;

/**
 * What the session answers to one input: the replies to send, and what the connection does next.
 */
public record Response(List<Reply> replies, Action action) {

    public enum Action {
        /** Read the next command line. */
        CONTINUE,
        /** Send the replies, then close the connection. */
        CLOSE,
        /** Send the replies, then run the TLS handshake and call {@link ServerSession#tlsStarted}. */
        START_TLS,
        /** Send the replies, then feed message content to {@link ServerSession#receiveData}. */
        READ_DATA,
        /** Read exactly {@link ServerSession#pendingChunkSize()} octets and pass them to {@link ServerSession#receiveChunk}. */
        READ_CHUNK
    }

    public Response {
        replies = List.copyOf(replies);
    }

    static Response of(Reply reply) {
        return new Response(List.of(reply), Action.CONTINUE);
    }

    static Response of(Reply reply, Action action) {
        return new Response(List.of(reply), action);
    }

    static Response none(Action action) {
        return new Response(List.of(), action);
    }
}
