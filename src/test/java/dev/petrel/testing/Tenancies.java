package dev.petrel.testing;

import dev.petrel.account.Directory;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Tenancy;
import java.security.SecureRandom;
import java.time.Clock;

/** The tenant operations on a test's stores, as the command line makes them (without DNS for DKIM checks). */
public final class Tenancies {

    private Tenancies() {}

    public static Tenancy on(Stores stores, Clock clock) {
        Directory directory = new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(),
                null, stores.adminTokens(), clock, new SecureRandom());
        return new Tenancy(stores.tenants(), stores.streams(), stores.apiKeys(), directory, clock, new SecureRandom());
    }
}
