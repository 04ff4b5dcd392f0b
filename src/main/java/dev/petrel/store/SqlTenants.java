package dev.petrel.store;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.Tenant;
import dev.petrel.tenant.Tenants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code tenants} table, and the {@code tenant} column of {@code domains} and {@code users}. */
final class SqlTenants implements Tenants {

    private static final String COLUMNS = "SELECT name, identification, messages_per_second, messages_per_day,"
            + " created_ms FROM tenants";

    private final Database db;

    SqlTenants(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Tenant> tenant(TenantId id) {
        return db.queryOne(COLUMNS + " WHERE name = ?", SqlTenants::tenant, id.name());
    }

    @Override
    public List<Tenant> tenants() {
        return db.query(COLUMNS + " ORDER BY CASE WHEN name = 'default' THEN 0 ELSE 1 END, created_ms, name",
                SqlTenants::tenant);
    }

    @Override
    public boolean add(Tenant tenant) {
        return db.update("INSERT INTO tenants (name, identification, messages_per_second, messages_per_day,"
                + " created_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", tenant.id().name(),
                tenant.identification(), tenant.limits().perSecond(), tenant.limits().perDay(),
                tenant.created().toEpochMilli()) == 1;
    }

    @Override
    public boolean setIdentification(TenantId id, String identification) {
        return db.update("UPDATE tenants SET identification = ? WHERE name = ?", identification, id.name()) == 1;
    }

    @Override
    public boolean setLimits(TenantId id, Limits limits) {
        return db.update("UPDATE tenants SET messages_per_second = ?, messages_per_day = ? WHERE name = ?",
                limits.perSecond(), limits.perDay(), id.name()) == 1;
    }

    @Override
    public boolean remove(TenantId id) {
        return db.transaction(c -> {
            Database.update(c, "DELETE FROM send_counts WHERE tenant = ?", id.name());
            Database.update(c, "DELETE FROM tenant_rates WHERE tenant = ?", id.name());
            return Database.update(c, "DELETE FROM tenants WHERE name = ?", id.name()) == 1;
        });
    }

    @Override
    public List<Domain> domains(TenantId id) {
        return db.query("SELECT name FROM domains WHERE tenant = ? ORDER BY id", row -> Domain.parse(row.getString(1)),
                id.name());
    }

    @Override
    public List<Address> users(TenantId id) {
        return db.query("SELECT address FROM users WHERE tenant = ? ORDER BY id", row -> Address.of(row.getString(1)),
                id.name());
    }

    @Override
    public boolean assignDomain(TenantId id, Domain domain) {
        return db.update("UPDATE domains SET tenant = ? WHERE name = ?", id.name(), domain.name()) == 1;
    }

    @Override
    public boolean assignUser(TenantId id, Address user) {
        return db.update("UPDATE users SET tenant = ? WHERE address_key = ?", id.name(), SqlUsers.key(user)) == 1;
    }

    @Override
    public Optional<TenantId> tenantOf(Domain domain) {
        return db.queryOne("SELECT tenant FROM domains WHERE name = ?", row -> new TenantId(row.getString(1)),
                domain.name());
    }

    @Override
    public Optional<TenantId> tenantOf(Address user) {
        return db.queryOne("SELECT tenant FROM users WHERE address_key = ?", row -> new TenantId(row.getString(1)),
                SqlUsers.key(user));
    }

    private static Tenant tenant(ResultSet row) throws SQLException {
        return new Tenant(new TenantId(row.getString("name")), row.getString("identification"),
                new Limits(row.getLong("messages_per_second"), row.getLong("messages_per_day")),
                Instant.ofEpochMilli(row.getLong("created_ms")));
    }
}
