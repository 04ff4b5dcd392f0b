package dev.petrel.store;

import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The contract suites of the account roles on a private PostgreSQL, a database of each test's own. */
@ExtendWith(PostgresExtension.class)
class PostgresStoresTest {

    private final String url;

    PostgresStoresTest(PrivatePostgres postgres) throws SQLException {
        url = postgres.newDatabase();
    }

    @TempDir
    Path dataDir;

    AccountStores open() throws Exception {
        return AccountStores.of(Stores.open(url, dataDir, List.of(), line -> {}));
    }

    @Nested
    class UsersOnPostgres extends UsersContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class DomainsOnPostgres extends DomainsContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class AliasesOnPostgres extends AliasesContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class DkimKeysOnPostgres extends DkimKeyStoreContract {
        @Override
        protected AccountStores create() throws Exception {
            return open();
        }
    }

    @Nested
    class AdminTokensOnPostgres extends AdminTokensContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class TenantsOnPostgres extends TenantsContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class ConsentsOnPostgres extends ConsentsContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class SuppressionsOnPostgres extends SuppressionsContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class ReportStoresOnPostgres extends ReportStoresContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    class DmarcAggregatesOnPostgres extends DmarcAggregatesContract {
        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }
}
