package dev.petrel.web;

import dev.petrel.account.AdminTokens;
import dev.petrel.account.Alias;
import dev.petrel.account.Directory;
import dev.petrel.account.DkimTools;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.User;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/domains}, {@code users}, {@code aliases}, {@code dkim} and {@code tokens}: what the
 * {@code domain}, {@code user}, {@code alias}, {@code dkim} and {@code admin-token} commands do, through the
 * same {@link Directory}. A value the directory refuses is a 400 with its reason; a name with nothing under it
 * is a 404.
 */
final class AccountRoutes {

    private final Directory directory;
    private final Audit audit;

    AccountRoutes(Directory directory, Audit audit) {
        this.directory = directory;
        this.audit = audit;
    }

    record DomainView(String name, boolean local) {}

    record NewDomain(String name, Boolean local) {}

    record UserView(String address, long quota, List<String> sendingDomains) {}

    record NewUser(String address, String password) {}

    record Quota(long quota) {}

    record AliasView(String source, List<String> targets) {}

    record NewAlias(String source, List<String> targets) {}

    record NewKey(String selector, String algorithm) {}

    record TokenView(String id, String name, String created) {}

    /** {@code dkim check}: a line per key, whether each active key is published as stored, the active keys' checks. */
    record KeysCheckView(List<String> lines, boolean ok, List<ChecklistView.Check> keys) {}

    record NewToken(String name) {}

    void addTo(Router router) {
        router.get("/admin/v1/domains", Route.Access.ADMIN,
                x -> Answer.ok(directory.domains().stream().map(AccountRoutes::view).toList()));
        router.post("/admin/v1/domains", Route.Access.ADMIN, this::addDomain);
        router.get("/admin/v1/domains/{domain}", Route.Access.ADMIN, x -> Answer.ok(view(directory.domain(domain(x))
                .orElseThrow(() -> ApiError.notFound("no domain " + x.path("domain"))))));
        router.delete("/admin/v1/domains/{domain}", Route.Access.ADMIN, this::removeDomain);
        router.get("/admin/v1/users", Route.Access.ADMIN,
                x -> Answer.ok(directory.users().stream().map(AccountRoutes::view).toList()));
        router.post("/admin/v1/users", Route.Access.ADMIN, this::addUser);
        router.get("/admin/v1/users/{address}", Route.Access.ADMIN, x -> Answer.ok(view(directory.user(address(x))
                .orElseThrow(() -> ApiError.notFound("no user " + x.path("address"))))));
        router.put("/admin/v1/users/{address}/quota", Route.Access.ADMIN, this::setQuota);
        router.delete("/admin/v1/users/{address}", Route.Access.ADMIN,
                x -> removed(x, "user", directory.removeUser(address(x))));
        router.get("/admin/v1/aliases", Route.Access.ADMIN,
                x -> Answer.ok(directory.aliases().stream().map(AccountRoutes::view).toList()));
        router.post("/admin/v1/aliases", Route.Access.ADMIN, this::addAlias);
        router.delete("/admin/v1/aliases/{source}", Route.Access.ADMIN, x -> removed(x, "alias",
                refusedAsMissing(() -> directory.removeAlias(x.path("source")))));
        router.get("/admin/v1/dkim", Route.Access.ADMIN, x -> Answer.ok(directory.keys()));
        router.get("/admin/v1/dkim/{domain}", Route.Access.ADMIN, x -> Answer.ok(directory.keys(domain(x))));
        router.post("/admin/v1/dkim/{domain}", Route.Access.ADMIN, this::generateKey);
        router.get("/admin/v1/dkim/{domain}/check", Route.Access.ADMIN,
                x -> Answer.ok(view(directory.checkKeys(domain(x)))));
        router.get("/admin/v1/tokens", Route.Access.ADMIN,
                x -> Answer.ok(directory.tokens().stream().map(AccountRoutes::view).toList()));
        router.post("/admin/v1/tokens", Route.Access.ADMIN, this::createToken);
        router.delete("/admin/v1/tokens/{token}", Route.Access.ADMIN,
                x -> removed(x, "admin token", directory.revokeToken(x.path("token"))));
    }

    private Answer addDomain(Exchange x) {
        NewDomain body = x.read(NewDomain.class);
        Domain name = parsed("name", () -> Domain.parse(required("name", body.name())));
        Directory.Outcome<DomainEntry> added = directory.addDomain(name, Optional.ofNullable(body.local()));
        audit.record(x, "domain add " + name);
        return Answer.ok(Map.of("domain", view(added.value()), "notes", added.notes()));
    }

    private Answer removeDomain(Exchange x) {
        Domain name = domain(x);
        Directory.Outcome<Boolean> removed = directory.removeDomain(name);
        if (!removed.value()) {
            throw ApiError.notFound("no domain " + name);
        }
        audit.record(x, "domain remove " + name);
        return Answer.ok(Map.of("removed", name.name(), "notes", removed.notes()));
    }

    private Answer addUser(Exchange x) {
        NewUser body = x.read(NewUser.class);
        Address address = parsed("address", () -> Address.of(required("address", body.address())));
        Directory.Outcome<User> added = parsed("password", () -> directory.addUser(address, body.password()));
        audit.record(x, "user add " + address);
        return Answer.ok(Map.of("user", view(added.value()), "notes", added.notes()));
    }

    private Answer setQuota(Exchange x) {
        Quota body = x.read(Quota.class);
        if (body.quota() < 0) {
            throw ApiError.badRequest("quota: octets, 0 for none");
        }
        Address address = address(x);
        if (!directory.setQuota(address, body.quota())) {
            throw ApiError.notFound("no user " + address);
        }
        audit.record(x, "user quota " + address + " " + body.quota());
        return Answer.ok(view(directory.user(address).orElseThrow()));
    }

    private Answer addAlias(Exchange x) {
        NewAlias body = x.read(NewAlias.class);
        List<Address> targets = parsed("targets", () -> required("targets", body.targets()).stream()
                .map(Address::of).toList());
        Directory.Outcome<Alias> added = parsed("source", () -> directory.addAlias(required("source", body.source()),
                targets));
        audit.record(x, "alias add " + added.value().source());
        return Answer.ok(Map.of("alias", view(added.value()), "notes", added.notes()));
    }

    private Answer generateKey(Exchange x) {
        NewKey body = x.body().length == 0 ? new NewKey(null, null) : x.read(NewKey.class);
        Domain domain = domain(x);
        Directory.Outcome<DkimTools.Published> made = parsed("selector", () -> directory.generateKey(domain,
                body.selector(), body.algorithm() == null ? "rsa" : body.algorithm()));
        audit.record(x, "dkim keygen " + made.value().recordName());
        return Answer.json(201, Map.of("key", made.value(), "notes", made.notes()));
    }

    private Answer createToken(Exchange x) {
        NewToken body = x.read(NewToken.class);
        Directory.IssuedToken issued = parsed("name", () -> directory.createToken(body.name()));
        audit.record(x, "admin-token create " + issued.token().id());
        return Answer.json(201, Map.of("id", issued.token().id(), "name", issued.token().name(),
                "created", issued.token().created().toString(), "token", issued.secret()));
    }

    private Answer removed(Exchange x, String what, boolean found) {
        String name = x.pathParameters().values().iterator().next();
        if (!found) {
            throw ApiError.notFound("no " + what + " " + name);
        }
        audit.record(x, what + " remove " + name);
        return Answer.noContent();
    }

    private static Domain domain(Exchange x) {
        return x.path("domain", Domain::parse);
    }

    private static Address address(Exchange x) {
        return x.path("address", Address::of);
    }

    private static boolean refusedAsMissing(Supplier<Boolean> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // a value the directory or a parser refuses, as a 400 naming the field
    static <T> T parsed(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field + ": " + e.getMessage());
        }
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiError.badRequest(field + " is required");
        }
        return value;
    }

    static DomainView view(DomainEntry d) {
        return new DomainView(d.name().name(), d.local());
    }

    static UserView view(User u) {
        return new UserView(u.address().toString(), u.quota(),
                u.sendingDomains().stream().map(Domain::name).sorted().toList());
    }

    static AliasView view(Alias a) {
        return new AliasView(a.source(), a.targets().stream().map(Address::toString).toList());
    }

    static KeysCheckView view(DkimTools.Report r) {
        return new KeysCheckView(r.lines(), r.ok(), r.keys().stream().map(ChecklistView::of).toList());
    }

    static TokenView view(AdminTokens.AdminToken t) {
        return new TokenView(t.id(), t.name(), t.created().toString());
    }
}
