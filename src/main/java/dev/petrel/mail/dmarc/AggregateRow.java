package dev.petrel.mail.dmarc;

import java.util.List;

/**
 * The messages of one day and policy domain that had the same source, outcome and identifiers: one {@code record}
 * of an aggregate report (RFC 7489 7.2), with their count.
 */
public record AggregateRow(String sourceIp, long count, String disposition, String dkim, String spf, String reason,
                           String headerFrom, String envelopeFrom, List<DmarcVerdict.DkimAuth> dkimResults,
                           DmarcVerdict.SpfAuth spfResult) {

    public AggregateRow {
        dkimResults = List.copyOf(dkimResults);
    }
}
