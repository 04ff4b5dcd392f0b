package dev.petrel.store;

import dev.petrel.report.SentReports;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The {@code sent_reports} table: a claim is a row inserted when none is there (ON CONFLICT DO NOTHING), so of
 * two writers only one gets it. Server-wide data, not a tenant's.
 */
final class SqlSentReports implements SentReports {

    private final Database db;

    SqlSentReports(Database db) {
        this.db = db;
    }

    @Override
    public boolean claim(String kind, LocalDate day, String domain, String destination, Instant at) {
        return db.update("INSERT INTO sent_reports (kind, day, domain, destination, sent_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (kind, day, domain, destination) DO NOTHING", kind, day.toString(), domain,
                destination, at.toEpochMilli()) == 1;
    }

    @Override
    public void release(String kind, LocalDate day, String domain, String destination) {
        db.update("DELETE FROM sent_reports WHERE kind = ? AND day = ? AND domain = ? AND destination = ?", kind,
                day.toString(), domain, destination);
    }

    @Override
    public void forgetBefore(LocalDate day) {
        db.update("DELETE FROM sent_reports WHERE day < ?", day.toString());
    }
}
