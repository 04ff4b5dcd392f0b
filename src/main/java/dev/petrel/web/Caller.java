package dev.petrel.web;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.ApiKey;

/**
 * Who a request comes from: an operator (an admin token, or the dashboard's session) or an application with an
 * API key. On a tenant's routes an operator acts for the tenant {@code default}, a key for its own tenant.
 */
public sealed interface Caller {

    /** As logs name it: {@code admin-token:NAME} or {@code apikey:ID} (the key's public id, never the key). */
    String name();

    /** The tenant whose data the caller sees on the {@code /v1} routes. */
    TenantId tenant();

    record Operator(String name) implements Caller {
        @Override
        public TenantId tenant() {
            return TenantId.DEFAULT;
        }
    }

    record Key(ApiKey key) implements Caller {
        @Override
        public String name() {
            return key.identity();
        }

        @Override
        public TenantId tenant() {
            return key.tenant();
        }
    }
}
