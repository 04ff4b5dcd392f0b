package dev.petrel.store;

import dev.petrel.account.Aliases;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.account.Domains;
import dev.petrel.account.Users;
import dev.petrel.testing.MemoryAccounts;

/** The four account roles of one store under test, and how to let go of it. */
record AccountStores(Users users, Domains domains, Aliases aliases, DkimKeyStore dkimKeys, AutoCloseable closer)
        implements AutoCloseable {

    static AccountStores of(Stores stores) {
        return new AccountStores(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(), stores);
    }

    static AccountStores of(MemoryAccounts memory) {
        return new AccountStores(memory, memory, memory, memory, () -> {});
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
