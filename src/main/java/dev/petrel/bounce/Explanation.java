package dev.petrel.bounce;

import static dev.petrel.bounce.MessageText.CRLF;

import java.util.List;

/**
 * Writes the human-readable first part (RFC 6522 3, RFC 3464 2: "a human readable explanation of the DSN")
 * in the manner of Postfix's bounce text: who is writing, what happened, then one paragraph per recipient
 * with the remote server's reply.
 */
final class Explanation {

    private static final int WIDTH = 76;
    private static final String INDENT = "    ";

    private final String hostname;
    private final boolean utf8;

    Explanation(String hostname, boolean utf8) {
        this.hostname = hostname;
        this.utf8 = utf8;
    }

    String render(DsnKind kind, List<RecipientReport> reports, boolean wholeMessageReturned) {
        StringBuilder out = new StringBuilder();
        paragraph(out, "This is the mail system at host " + hostname + ".");
        switch (kind) {
            case FAILURE -> {
                paragraph(out, "Your message could not be delivered to one or more of its recipients."
                        + " The mail system has given up on the addresses below; the reason follows each of them.");
                paragraph(out, (wholeMessageReturned ? "Your message is attached." : "The headers of your message are attached.")
                        + " For help, write to postmaster@" + hostname + " and include this report.");
            }
            case DELAY -> {
                paragraph(out, "THIS IS A WARNING ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE.");
                paragraph(out, "Your message has not yet been delivered to the recipients below."
                        + " The mail system will keep trying, and will tell you if it gives up.");
            }
            case SUCCESS -> paragraph(out, "Your message was delivered to the recipients below, as you asked to be told."
                    + " Where it was relayed to a system that does not report delivery, you may not hear more of it.");
        }
        out.append(INDENT).append("The mail system").append(CRLF);
        for (RecipientReport report : reports) {
            // one paragraph per recipient, continuation lines indented as in Postfix's reports
            out.append(CRLF).append(MessageText.wrap(recipientLine(report), WIDTH, INDENT));
        }
        return out.toString();
    }

    private static void paragraph(StringBuilder out, String text) {
        out.append(MessageText.wrap(text, WIDTH, "")).append(CRLF);
    }

    private String recipientLine(RecipientReport report) {
        String address = MessageText.safe(report.recipient().address().toString(), utf8);
        StringBuilder line = new StringBuilder("<").append(address).append(">: ").append(reason(report));
        if (report.willRetryUntil() != null) {
            line.append(" (the mail system will keep trying until ")
                    .append(MessageText.date(report.willRetryUntil())).append(")");
        }
        return line.toString();
    }

    private String reason(RecipientReport report) {
        Diagnostic d = report.diagnostic();
        String host = report.remoteMta();
        if (d != null && d.isSmtp()) {
            return (host != null ? "host " + host : "the remote server") + " said: " + MessageText.safe(d.text(), utf8);
        }
        if (d != null) {
            return MessageText.safe(d.text(), utf8);
        }
        return switch (report.action()) {
            case FAILED -> "delivery failed (status " + report.status() + ")";
            case DELAYED -> "delivery is delayed (status " + report.status() + ")";
            case DELIVERED -> "delivered" + (host != null ? " by host " + host : "");
            case RELAYED -> "relayed" + (host != null ? " to host " + host : "") + ", which does not report delivery";
            case EXPANDED -> "delivered and forwarded on to further addresses";
        };
    }
}
