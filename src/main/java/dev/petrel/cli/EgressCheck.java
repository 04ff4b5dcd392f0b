package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;
import dev.petrel.mail.IpLiteral;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.tenant.Tenant;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What the configuration cannot say of egresses by itself: that this machine has each source address (it can
 * bind it), and that every stream in the store names a pool that is configured and a source the machine has. A
 * wrong one is found here, not by the first newsletter that goes out from the wrong address or waits forever.
 */
final class EgressCheck {

    private EgressCheck() {}

    /** Each pool's source addresses can be bound here; checked by check-config and before a server starts. */
    static void checkPools(Config c, Path configFile) throws ConfigException {
        List<Config.EgressPool> pools = c.delivery().egress();
        for (int i = 0; i < pools.size(); i++) {
            for (String source : pools.get(i).sources()) {
                if (!bindable(IpLiteral.parse(source))) {
                    throw ConfigLoader.problem(configFile, "delivery.egress[" + i + "].sources",
                            "this machine has no address " + source);
                }
            }
        }
    }

    /**
     * Every stream of every tenant names a configured pool, or a source address the machine has; checked by
     * check-config when there is a store to read (an embedded one that does not exist yet has no streams).
     */
    static void checkStreams(Config c) throws IOException {
        if (c.storeUrl().equals(Stores.EMBEDDED) && !Files.exists(c.databaseFile())) {
            return;
        }
        try (Stores stores = Petrel.stores(c)) {
            Tenancy tenancy = Petrel.tenancy(c, stores, Clock.systemUTC());
            for (Tenant t : tenancy.tenants()) {
                for (Stream s : tenancy.streams(t.id())) {
                    check(c, s);
                }
            }
        }
    }

    private static void check(Config c, Stream s) throws ConfigException {
        String which = "stream " + s.name() + " of tenant " + s.tenant();
        if (s.egress() != null && c.delivery().pool(s.egress()).isEmpty()) {
            throw new ConfigException(which + " sends from egress pool " + s.egress()
                    + ", which [[delivery.egress]] does not configure");
        }
        if (s.source() != null && !bindable(IpLiteral.parse(s.source()))) {
            throw new ConfigException(which + " sends from " + s.source() + ", an address this machine does not have");
        }
    }

    /** True when a socket can be bound to the address: the machine has it (or the system lets it bind any). */
    static boolean bindable(InetAddress address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
