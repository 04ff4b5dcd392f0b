package dev.petrel.smtp.client;

import dev.petrel.mail.RecipientOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the driver does next for a {@link ClientSession}: the client's counterpart of the server's Response. */
public sealed interface Step {

    /**
     * Write the bytes, then read reply lines and pass each to {@link ClientSession#onLine}.
     *
     * @param phase what to time the write by: {@link ClientPhase#DATA_BLOCK} when it carries message content
     */
    record Send(byte[] bytes, ClientPhase phase) implements Step {
        /** The bytes as text, for logs and tests. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Send[" + text().replace("\r\n", "\\r\\n") + ", " + phase + "]";
        }
    }

    /** Read the next reply line and pass it to {@link ClientSession#onLine}. */
    record Read() implements Step {}

    /** Run the TLS handshake now, then call {@link ClientSession#tlsStarted} or {@link ClientSession#tlsFailed}. */
    record StartTls() implements Step {}

    /**
     * The transaction is over, with one outcome per recipient in the order given. The connection stays open and
     * idle: start another transaction with {@link ClientSession#newTransaction}, or end with {@link ClientSession#quit}.
     */
    record Ready(List<RecipientOutcome> outcomes) implements Step {
        public Ready {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * Close the connection now.
     *
     * @param outcomes of the transaction under way when the session ended, if any; empty after a normal QUIT
     * @param phase where the session ended: {@link ClientPhase#QUIT} after a normal end; {@link ClientPhase#GREETING},
     *     {@link ClientPhase#EHLO}, {@link ClientPhase#STARTTLS} or {@link ClientPhase#TLS_HANDSHAKE} when this host
     *     failed before any transaction, so that delivery may try the next MX (RFC 5321 5.1)
     */
    record Close(List<RecipientOutcome> outcomes, ClientPhase phase) implements Step {
        public Close {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * The TLS handshake failed and the policy is opportunistic: close, connect again and run a new session with
     * {@link TlsPolicy#NONE} for the same transaction (RFC 7435 4: fall back to cleartext). No recipient is decided.
     */
    record RetryWithoutTls() implements Step {}
}
