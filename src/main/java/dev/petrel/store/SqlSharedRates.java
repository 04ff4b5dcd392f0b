package dev.petrel.store;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.SharedRates;

/**
 * The {@code tenant_rates} table on PostgreSQL: one bucket per tenant (stream {@code ''}) and stream, refilled
 * and taken from by {@code petrel_take_tokens} (migration V19) in one round trip, on the database's clock.
 */
final class SqlSharedRates implements SharedRates {

    // the tenant's bucket in all is kept under a stream name no stream can have, as its send counts are
    private static final String ALL = "";

    private final Database db;

    SqlSharedRates(Database db) {
        this.db = db;
    }

    @Override
    public Grant take(TenantId tenant, String stream, long rate, long need, long want) {
        if (need < 1 || want < need) {
            throw new IllegalArgumentException("a take needs 1 or more tokens and wants at least those: " + need
                    + ", " + want);
        }
        return db.queryOne("SELECT granted, remaining FROM petrel_take_tokens(?, ?, ?, ?, ?)",
                row -> new Grant((long) row.getDouble(1), row.getDouble(2)), tenant.name(),
                stream == null ? ALL : stream, (double) rate, (double) need, (double) want).orElseThrow();
    }
}
