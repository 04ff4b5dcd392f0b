package dev.petrel.store;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract suite of a store role needs from the engine it runs on: a store on an empty database of
 * its own for each test, and more handles on that database, as a server and a command line each hold one.
 */
abstract class StoreContract {

    protected AccountStores store;
    private final List<AccountStores> opened = new ArrayList<>();

    /** A store on a new, empty database (no seed domains). */
    protected abstract AccountStores create() throws Exception;

    /**
     * Another handle on the database {@link #create} made, as another process would open it: for the engines here,
     * opening the same database (or memory) again.
     */
    protected AccountStores reopen() throws Exception {
        return create();
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = create();
        opened.add(store);
    }

    protected final AccountStores another() throws Exception {
        AccountStores s = reopen();
        opened.add(s);
        return s;
    }

    @AfterEach
    final void closeStores() throws Exception {
        for (AccountStores s : opened) {
            s.close();
        }
    }
}
