package dev.petrel.smtp;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;

/** Thrown inside the protocol code when a command must be refused; carries the reply to send. */
final class Refusal extends Exception {

    private final transient Reply reply;

    Refusal(int code, EnhancedStatus status, String text) {
        super(text, null, false, false);
        this.reply = Reply.of(code, status, text);
    }

    Reply reply() {
        return reply;
    }
}
