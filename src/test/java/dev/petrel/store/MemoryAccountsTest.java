package dev.petrel.store;

import dev.petrel.testing.MemoryAccounts;
import org.junit.jupiter.api.Nested;

/** The contract suites of the account roles on the test double in memory, so that it behaves as the SQL stores do. */
class MemoryAccountsTest {

    private final MemoryAccounts memory = new MemoryAccounts();

    AccountStores open() {
        return AccountStores.of(memory);
    }

    @Nested
    class UsersInMemory extends UsersContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class DomainsInMemory extends DomainsContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class AliasesInMemory extends AliasesContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class DkimKeysInMemory extends DkimKeyStoreContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }
}
