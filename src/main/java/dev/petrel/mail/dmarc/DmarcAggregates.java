package dev.petrel.mail.dmarc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The DMARC verdicts of inbound mail, counted per UTC day and policy domain (never one row per message), and
 * which reports have been sent of them. Not tenant data: inbound mail is the server's.
 */
public interface DmarcAggregates {

    /** Counts one message's verdict in its UTC day; the policy is kept as last seen that day. */
    void record(DmarcVerdict verdict);

    /** The policies published that day by domains whose mail was counted, by domain. */
    List<PublishedPolicy> policies(LocalDate day);

    /** The rows counted that day for the policy domain. */
    List<AggregateRow> rows(LocalDate day, String domain);

    /**
     * Marks the day's report for the domain to the destination as sent, before it is queued: false when it was
     * already (by another run, or another node), so that a report never goes twice.
     */
    boolean claim(LocalDate day, String domain, String destination, String reportId, Instant at);

    /** Undoes a claim whose report could not be queued, so that a later run sends it. */
    void release(LocalDate day, String domain, String destination);

    /** Forgets the counts and the marks of the days before this one. */
    void forget(LocalDate before);

    /** Counts nothing and has sent nothing: DMARC reports are off. */
    DmarcAggregates NONE = new DmarcAggregates() {
        @Override
        public void record(DmarcVerdict verdict) {}

        @Override
        public List<PublishedPolicy> policies(LocalDate day) {
            return List.of();
        }

        @Override
        public List<AggregateRow> rows(LocalDate day, String domain) {
            return List.of();
        }

        @Override
        public boolean claim(LocalDate day, String domain, String destination, String reportId, Instant at) {
            return false;
        }

        @Override
        public void release(LocalDate day, String domain, String destination) {}

        @Override
        public void forget(LocalDate before) {}
    };
}
