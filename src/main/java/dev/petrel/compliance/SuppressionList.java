package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Tenancy;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

/**
 * A tenant's suppression list as the command line, the APIs and the send policy use it, so each rule is here
 * once: an entry is made by hand only for a tenant and stream that exist; the reason of one made by hand is
 * {@code manual} unless an import says otherwise; what holds for a recipient on a stream is the entry of every
 * stream and the stream's own. Nothing here removes an entry but {@link #remove}: a later delivery to the address
 * does not, so a complaint or an unsubscribe stays until someone removes it on purpose.
 */
public final class SuppressionList {

    /** The most entries one page of a listing holds. */
    public static final int MAX_PAGE = 1000;

    private final Suppressions store;
    private final Tenancy tenancy;
    private final Clock clock;

    public SuppressionList(Suppressions store, Tenancy tenancy, Clock clock) {
        this.store = store;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    /** One page of a listing, and the token of the next (null after the last). */
    public record Page(List<Suppression> entries, String next) {}

    /**
     * Suppresses the address for the tenant, on one stream or (empty) every stream, for this reason; an existing
     * entry stays as it is unless the reason is stronger. A tenant or stream that is not there is refused.
     *
     * @return the entry as it is now
     */
    public Suppression add(TenantId tenant, Address address, Optional<String> stream, Suppression.Reason reason) {
        requireScope(tenant, stream);
        return store.add(new Suppression(tenant, stream.orElse(null), Suppression.key(address), reason,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), null));
    }

    /** Removes the address's entry on the stream (empty: the entry of every stream); false when there is none. */
    public boolean remove(TenantId tenant, Address address, Optional<String> stream) {
        return store.remove(tenant, stream, Suppression.key(address));
    }

    /** Every entry of the address (of every stream first); empty when it is not suppressed at all. */
    public List<Suppression> entries(TenantId tenant, Address address) {
        return store.entries(tenant, Suppression.key(address));
    }

    /**
     * A page of the tenant's entries, by address, from the token a previous page gave (none: from the start).
     *
     * @param stream only that stream's own entries, when given
     * @throws IllegalArgumentException for a token that no page gave, or a limit out of 1 to {@link #MAX_PAGE}
     */
    public Page list(TenantId tenant, Optional<String> stream, Optional<String> token, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_PAGE + " entries, not " + limit);
        }
        List<Suppression> found = store.page(tenant, stream, token.map(SuppressionList::after), limit + 1);
        if (found.size() <= limit) {
            return new Page(found, null);
        }
        List<Suppression> entries = found.subList(0, limit);
        return new Page(List.copyOf(entries), token(entries.getLast()));
    }

    /** Every entry of the tenant, by address (what an export writes). */
    public List<Suppression> all(TenantId tenant) {
        List<Suppression> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page page = list(tenant, Optional.empty(), token, MAX_PAGE);
            out.addAll(page.entries());
            token = Optional.ofNullable(page.next());
        } while (token.isPresent());
        return out;
    }

    /**
     * The recipients suppressed for mail of the tenant on the stream (empty: a message on no stream, which only
     * entries of every stream hold for), each with the entry that holds: the strongest when several do.
     */
    public Map<Address, Suppression> suppressed(TenantId tenant, Optional<String> stream, List<Address> recipients) {
        Map<String, Address> byKey = new LinkedHashMap<>();
        recipients.forEach(a -> byKey.putIfAbsent(Suppression.key(a), a));
        Map<Address, Suppression> out = new LinkedHashMap<>();
        if (byKey.isEmpty()) {
            return out;
        }
        for (Suppression s : store.holding(tenant, stream, byKey.keySet())) {
            Address to = byKey.get(s.address());
            Suppression held = out.get(to);
            if (to != null && (held == null || s.reason().rank() > held.reason().rank())) {
                out.put(to, s);
            }
        }
        return out;
    }

    /** Whether the tenant exists (the admin API answers 404 for a list of one that does not). */
    public boolean hasTenant(TenantId tenant) {
        return tenancy.tenant(tenant).isPresent();
    }

    private void requireScope(TenantId tenant, Optional<String> stream) {
        if (!hasTenant(tenant)) {
            throw new IllegalArgumentException("no tenant " + tenant);
        }
        if (stream.isPresent() && tenancy.stream(tenant, stream.get()).isEmpty()) {
            throw new IllegalArgumentException("tenant " + tenant + " has no stream " + stream.get());
        }
    }

    // a page token: the last entry's address and stream, so the next page starts after it whatever was added since
    private static String token(Suppression last) {
        String text = last.address() + "\n" + (last.stream() == null ? "" : last.stream());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Suppressions.After after(String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a page token: " + token);
        }
        int newline = text.indexOf('\n');
        if (newline < 1) {
            throw new IllegalArgumentException("not a page token: " + token);
        }
        String stream = text.substring(newline + 1);
        return new Suppressions.After(text.substring(0, newline), stream.isEmpty() ? null : stream);
    }
}
