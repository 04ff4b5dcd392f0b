package dev.petrel.mail.mime;

import java.util.List;

/**
 * A message as the send API describes it, before composing. Lists may be empty, never null (the compact
 * constructor makes null lists empty); {@code text} and {@code html} may be null, not both. The subject is kept
 * without white space at its ends, and a null subject is empty.
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
        // readers drop the white space around an unstructured value (RFC 5322 3.2.5), so it is not kept
        subject = subject == null ? "" : WhiteSpace.strip(subject);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
