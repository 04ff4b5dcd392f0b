package dev.petrel.store;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The contract suites of the account roles on SQLite, embedded in a data folder of each test's own. */
class SqliteStoresTest {

    @TempDir
    Path dataDir;

    AccountStores open() throws Exception {
        return AccountStores.of(Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {}));
    }

    @Nested
    class UsersOnSqlite extends UsersContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class DomainsOnSqlite extends DomainsContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class AliasesOnSqlite extends AliasesContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class DkimKeysOnSqlite extends DkimKeyStoreContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class AdminTokensOnSqlite extends AdminTokensContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class TenantsOnSqlite extends TenantsContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class ConsentsOnSqlite extends ConsentsContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class SuppressionsOnSqlite extends SuppressionsContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class ReportStoresOnSqlite extends ReportStoresContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class DmarcAggregatesOnSqlite extends DmarcAggregatesContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }
}
