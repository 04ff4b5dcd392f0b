package dev.petrel.web;

import dev.petrel.compliance.Consent;
import dev.petrel.compliance.ConsentExport;
import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.ConsentStatus;
import dev.petrel.compliance.SuppressionExport;
import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import dev.petrel.policy.ConsentCheck;
import dev.petrel.tenant.Tenancy;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /v1/consents}: a tenant's CASL consent ledger through {@link ConsentLedger}, as {@code petrel consent}
 * does: one recipient's records and status, a consent added, a withdrawal, and the evidence export (JSON or CSV).
 * An API key acts for its tenant; a recipient the tenant has no record of answers 404, whoever else has. The admin
 * API's {@code /admin/v1/tenants/{tenant}/consents} does the same for any tenant.
 */
final class ConsentRoutes {

    private static final String OWN = "/v1/consents";
    private static final String ANY = "/admin/v1/tenants/{tenant}/consents";
    private static final String CSV = "text/csv; charset=utf-8";

    private final ConsentLedger ledger;
    private final Tenancy tenancy;
    private final Clock clock;
    private final Audit audit;

    ConsentRoutes(ConsentLedger ledger, Tenancy tenancy, Clock clock, Audit audit) {
        this.ledger = ledger;
        this.tenancy = tenancy;
        this.clock = clock;
        this.audit = audit;
    }

    /** Where a consent came from; each field may be absent. */
    record Evidence(String form, String url, String ip, String wording, String note) {
        Consent.Evidence value() {
            return new Consent.Evidence(form, url, ip, wording, note);
        }
    }

    /** A consent to record; {@code at} a day or an instant (UTC). */
    record NewConsent(String address, String kind, String at, Evidence evidence) {}

    /** A withdrawal; {@code at} absent for now. */
    record NewWithdrawal(String at, Evidence evidence) {}

    void addTo(Router router) {
        Function<Exchange, TenantId> own = x -> x.who().tenant();
        add(router, OWN, Route.Access.TENANT, own);
        add(router, ANY, Route.Access.ADMIN, this::tenant);
    }

    private void add(Router router, String base, Route.Access access, Function<Exchange, TenantId> tenant) {
        router.get(base, access, x -> export(x, tenant.apply(x)));
        router.post(base, access, x -> create(x, tenant.apply(x)));
        router.get(base + "/{address}", access, x -> show(x, tenant.apply(x)));
        router.post(base + "/{address}/withdraw", access, x -> withdraw(x, tenant.apply(x)));
    }

    // the admin API's tenant: one that is not there is a 404, as a missing record is
    private TenantId tenant(Exchange x) {
        TenantId id = x.path("tenant", TenantId::parse);
        if (tenancy.tenant(id).isEmpty()) {
            throw ApiError.notFound("no tenant " + id);
        }
        return id;
    }

    private Answer show(Exchange x, TenantId tenant) {
        Address address = x.path("address", Address::of);
        List<Consent> records = ledger.records(tenant, address);
        if (records.isEmpty()) {
            throw ApiError.notFound("no consent record of " + address);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", records.getFirst().recipient());
        out.put("status", status(ledger.status(tenant, address, false)));
        out.put("records", records.stream().map(ConsentExport::fields).toList());
        return Answer.ok(out);
    }

    static Map<String, Object> status(ConsentStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (status) {
            case ConsentStatus.Valid v -> {
                out.put("valid", true);
                out.put("record", v.record().id());
                out.put("until", v.until() == null ? null : DateTimeFormatter.ISO_INSTANT.format(v.until()));
            }
            case ConsentStatus.Refused r -> {
                out.put("valid", false);
                out.put("reason", r.reason().code());
                out.put("message", ConsentCheck.text(r));
            }
        }
        return out;
    }

    private Answer create(Exchange x, TenantId tenant) {
        NewConsent body = x.read(NewConsent.class);
        if (body.address() == null || body.kind() == null || body.at() == null) {
            throw ApiError.badRequest("address, kind and at are required");
        }
        Consent added;
        try {
            Consent.Kind kind = Consent.Kind.parse(body.kind());
            if (kind == Consent.Kind.WITHDRAWAL) {
                throw new IllegalArgumentException("kind: a withdrawal is posted to " + OWN + "/{address}/withdraw");
            }
            added = ledger.add(tenant, Address.of(body.address()), kind, Consent.parseAt(body.at()),
                    evidence(body.evidence()), "api");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        audit.record(x, "consent add " + tenant + " " + added.recipient() + " " + added.kind().text());
        return Answer.json(201, ConsentExport.fields(added));
    }

    private Answer withdraw(Exchange x, TenantId tenant) {
        Address address = x.path("address", Address::of);
        NewWithdrawal body = x.body().length == 0 ? new NewWithdrawal(null, null) : x.read(NewWithdrawal.class);
        Consent added;
        try {
            added = ledger.add(tenant, address, Consent.Kind.WITHDRAWAL,
                    body.at() == null ? clock.instant() : Consent.parseAt(body.at()), evidence(body.evidence()), "api");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        audit.record(x, "consent withdraw " + tenant + " " + added.recipient());
        return Answer.json(201, ConsentExport.fields(added));
    }

    private Answer export(Exchange x, TenantId tenant) {
        SuppressionExport.Format format;
        Optional<Address> one;
        try {
            format = SuppressionExport.Format.parse(x.query("format").orElse("json"));
            one = x.query("address").map(Address::of);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        StringWriter out = new StringWriter();
        try {
            ConsentExport.write(ledger.records(tenant, one), ledger.uses(tenant, one), format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Answer.text(200, format == SuppressionExport.Format.CSV ? CSV : Answer.JSON, out.toString());
    }

    private static Consent.Evidence evidence(Evidence e) {
        return e == null ? Consent.Evidence.NONE : e.value();
    }
}
