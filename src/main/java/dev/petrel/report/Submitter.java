package dev.petrel.report;

import dev.petrel.mail.Address;

/**
 * Who sends the daily reports ({@code [reports]}).
 *
 * @param organization the organization-name of a report (RFC 8460 4.4)
 * @param from the sender of mailed reports; its domain is the submitter (RFC 8460 5.3 TLS-Report-Submitter)
 * @param contact the contact-info of a report; empty for none
 */
public record Submitter(String organization, Address from, String contact) {

    /** The domain that submits the reports: that of {@link #from}. */
    public String domain() {
        return from.domain().name();
    }
}
