package dev.petrel.report;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The durable record of the daily reports sent, one entry per kind ("tls", later "dmarc"), UTC day, reported domain
 * and destination (a {@code mailto:} or {@code https:} URI): a report is claimed before it is sent, so that neither
 * a restart nor a second node nor the command line sends it twice, and given back when sending failed, so that a
 * later run tries again.
 */
public interface SentReports {

    /** True when the caller may send this report now: nobody has sent it, nor is sending it. */
    boolean claim(String kind, LocalDate day, String domain, String destination, Instant at);

    /** Gives a claim back after the report could not be sent. */
    void release(String kind, LocalDate day, String domain, String destination);

    /** Forgets the reports of the days before {@code day}. */
    void forgetBefore(LocalDate day);
}
