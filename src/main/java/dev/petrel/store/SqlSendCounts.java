package dev.petrel.store;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.SendCounts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The {@code send_counts} table: one row per tenant, stream ({@code ''} for the tenant in all) and UTC day. */
final class SqlSendCounts implements SendCounts {

    // the tenant's count in all is kept under a stream name no stream can have
    private static final String ALL = "";

    private final Database db;

    SqlSendCounts(Database db) {
        this.db = db;
    }

    @Override
    public List<Count> add(TenantId tenant, LocalDate day, List<Count> added) {
        return db.transaction(c -> {
            List<Count> totals = new ArrayList<>(added.size());
            for (Count count : added) {
                long total = Database.query(c, "INSERT INTO send_counts (tenant, stream, day, messages)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (tenant, stream, day)"
                        + " DO UPDATE SET messages = send_counts.messages + excluded.messages RETURNING messages",
                        row -> row.getLong(1), tenant.name(), stream(count.stream()), day.toEpochDay(),
                        count.messages()).getFirst();
                totals.add(new Count(count.stream(), total));
            }
            return totals;
        });
    }

    @Override
    public long count(TenantId tenant, String stream, LocalDate day) {
        return db.queryOne("SELECT messages FROM send_counts WHERE tenant = ? AND stream = ? AND day = ?",
                row -> row.getLong(1), tenant.name(), stream(stream), day.toEpochDay()).orElse(0L);
    }

    private static String stream(String stream) {
        return stream == null ? ALL : stream;
    }
}
