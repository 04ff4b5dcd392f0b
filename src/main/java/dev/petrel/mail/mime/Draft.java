package dev.petrel.mail.mime;

import java.util.List;

/**
 * A message as the send API describes it, before composing. Lists may be empty, never null (the compact
 * constructor makes null lists empty); {@code text} and {@code html} may be null, not both.
 */
public record Draft(Mailbox from, List<Mailbox> to, List<Mailbox> cc, List<Mailbox> bcc, List<Mailbox> replyTo,
                    String subject, String text, String html, List<ExtraHeader> headers,
                    List<Attachment> attachments) {

    public Draft {
        to = copy(to);
        cc = copy(cc);
        bcc = copy(bcc);
        replyTo = copy(replyTo);
        headers = copy(headers);
        attachments = copy(attachments);
        subject = subject == null ? "" : subject;
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
