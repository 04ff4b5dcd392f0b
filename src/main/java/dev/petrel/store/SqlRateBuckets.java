package dev.petrel.store;

import dev.petrel.delivery.Lane;
import dev.petrel.delivery.SiteRates;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.SharedRates;

/**
 * The token buckets of rates on PostgreSQL: {@code tenant_rates}, one per tenant (stream {@code ''}) and stream, and
 * {@code site_rates}, one per destination site from each egress; each refilled and taken from in one round trip by
 * {@code petrel_take_tokens} or {@code petrel_take_site_tokens} (migration V19), on the database's clock.
 */
final class SqlRateBuckets implements SharedRates, SiteRates {

    // the tenant's bucket in all is kept under a stream name no stream can have, as its send counts are
    private static final String ALL = "";

    private final Database db;

    SqlRateBuckets(Database db) {
        this.db = db;
    }

    @Override
    public SharedRates.Grant take(TenantId tenant, String stream, long rate, long need, long want) {
        double[] got = take("SELECT granted, remaining FROM petrel_take_tokens(?, ?, ?, ?, ?)", need, want,
                tenant.name(), stream == null ? ALL : stream, (double) rate, (double) need, (double) want);
        return new SharedRates.Grant((long) got[0], got[1]);
    }

    @Override
    public SiteRates.Grant take(Lane lane, long rate, long need, long want) {
        double[] got = take("SELECT granted, remaining FROM petrel_take_site_tokens(?, ?, ?, ?)", need, want,
                lane.toString(), (double) rate, (double) need, (double) want);
        return new SiteRates.Grant((long) got[0], got[1]);
    }

    // granted and remaining
    private double[] take(String sql, long need, long want, Object... parameters) {
        if (need < 1 || want < need) {
            throw new IllegalArgumentException("a take needs 1 or more tokens and wants at least those: " + need
                    + ", " + want);
        }
        return db.queryOne(sql, row -> new double[] {row.getDouble(1), row.getDouble(2)}, parameters).orElseThrow();
    }
}
