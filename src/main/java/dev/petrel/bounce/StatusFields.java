package dev.petrel.bounce;

import static dev.petrel.bounce.MessageText.CRLF;
import static dev.petrel.bounce.MessageText.date;
import static dev.petrel.bounce.MessageText.field;

import dev.petrel.mail.Address;
import java.util.List;

/**
 * Writes the body of the machine-readable part: RFC 3464 2.2 per-message fields, then one block of RFC 3464
 * 2.3 per-recipient fields per recipient, blocks separated by empty lines. In the ASCII form
 * (message/delivery-status) every field is 7-bit, a UTF-8 address is written in RFC 6533 utf-8-addr-xtext;
 * in the global form (RFC 6533 message/global-delivery-status) it is written as UTF-8.
 */
final class StatusFields {

    private final String reportingMta;
    private final boolean global;

    StatusFields(String reportingMta, boolean global) {
        this.reportingMta = reportingMta;
        this.global = global;
    }

    String render(OriginalMessage original, List<RecipientReport> reports) {
        StringBuilder out = new StringBuilder();
        appendPerMessage(out, original);
        for (RecipientReport report : reports) {
            out.append(CRLF);
            appendPerRecipient(out, report);
        }
        return out.toString();
    }

    // RFC 3464 2.2
    private void appendPerMessage(StringBuilder out, OriginalMessage original) {
        // 2.2.2: Reporting-MTA: dns; the fully qualified host name
        out.append(field("Reporting-MTA", "dns; " + reportingMta));
        // 2.4: extension fields start with X-; the queue id lets postmasters find the log lines
        out.append(field("X-Petrel-Queue-ID", original.id().value()));
        String envid = original.envelope().envid();
        if (envid != null) {
            // 2.2.1, RFC 3461 6.3 and 4.4: the ENVID as the sender gave it before xtext encoding
            out.append(field("Original-Envelope-Id", Xtext.decodePrintable(envid).orElse(envid)));
        }
        // 2.2.5: when the reporting MTA received the message
        out.append(field("Arrival-Date", date(original.arrival())));
    }

    // RFC 3464 2.3
    private void appendPerRecipient(StringBuilder out, RecipientReport report) {
        String orcpt = report.recipient().orcpt();
        if (orcpt != null) {
            // 2.3.1, RFC 3461 6.3: present exactly when ORCPT was given, its value taken from it
            out.append(field("Original-Recipient", originalRecipient(orcpt)));
        }
        // 2.3.2: the recipient this MTA tried to deliver to
        out.append(field("Final-Recipient", typedAddress(report.recipient().address())));
        out.append(field("Action", report.action().fieldValue()));
        out.append(field("Status", report.status().toString()));
        if (report.remoteMta() != null) {
            out.append(field("Remote-MTA", "dns; " + report.remoteMta()));
        }
        if (report.diagnostic() != null) {
            Diagnostic d = report.diagnostic();
            out.append(field("Diagnostic-Code", d.type() + "; " + MessageText.safe(d.text(), global)));
        }
        if (report.lastAttempt() != null) {
            out.append(field("Last-Attempt-Date", date(report.lastAttempt())));
        }
        if (report.willRetryUntil() != null) {
            out.append(field("Will-Retry-Until", date(report.willRetryUntil())));
        }
    }

    /**
     * RFC 3461 4.2: ORCPT is {@code addr-type ";" xtext}; the field carries the decoded address when it is
     * printable ASCII, else the xtext as given (a utf-8 address type stays in its RFC 6533 xtext form).
     */
    static String originalRecipient(String orcpt) {
        int semi = orcpt.indexOf(';');
        if (semi <= 0) {
            return "unknown;" + MessageText.safe(orcpt, false);
        }
        String type = orcpt.substring(0, semi);
        String xtext = orcpt.substring(semi + 1);
        return type + ";" + MessageText.safe(Xtext.decodePrintable(xtext).orElse(xtext), false);
    }

    /** RFC 3464 2.3.2 and RFC 6533 3: "rfc822; ascii@address" or "utf-8; the UTF-8 address". */
    String typedAddress(Address address) {
        String text = address.toString();
        if (MessageText.isAscii(text)) {
            return "rfc822; " + text;
        }
        return "utf-8; " + (global ? text : Xtext.encodeUtf8Address(text));
    }
}
