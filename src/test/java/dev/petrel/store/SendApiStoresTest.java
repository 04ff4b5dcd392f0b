package dev.petrel.store;

import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The send API stores' contract on SQLite and on a private PostgreSQL. */
class SendApiStoresTest {

    @Nested
    class OnSqlite extends SendApiStoreContract {
        @TempDir
        Path dataDir;

        @Override
        protected Stores open() throws Exception {
            return Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
        }
    }

    @Nested
    @ExtendWith(PostgresExtension.class)
    class OnPostgres extends SendApiStoreContract {
        private final String url;

        @TempDir
        Path dataDir;

        OnPostgres(PrivatePostgres postgres) throws Exception {
            url = postgres.newDatabase();
        }

        @Override
        protected Stores open() throws Exception {
            return Stores.open(url, dataDir, List.of(), line -> {});
        }
    }
}
