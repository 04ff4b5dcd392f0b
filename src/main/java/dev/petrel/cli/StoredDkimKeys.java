package dev.petrel.cli;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.mailauth.DkimKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The store's active DKIM keys, decoded once each (an RSA key takes a while to read). */
final class StoredDkimKeys implements DkimKeys {

    private final DkimKeyStore store;
    private final Map<DkimKeyEntry, DkimKey> decoded = new ConcurrentHashMap<>();

    StoredDkimKeys(DkimKeyStore store) {
        this.store = store;
    }

    @Override
    public List<DkimKey> activeFor(Domain domain) {
        List<DkimKey> out = new ArrayList<>(2);
        for (DkimKeyEntry e : store.keys(domain)) {
            if (e.active()) {
                out.add(decoded.computeIfAbsent(e, StoredDkimKeys::toKey));
            }
        }
        return out;
    }

    /** Forgets the decoded keys (SIGHUP): each is read from the store again when next used. */
    void reload() {
        decoded.clear();
    }

    static DkimKey toKey(DkimKeyEntry e) {
        return DkimKey.fromPkcs8(e.domain(), e.selector(), DkimAlgorithm.ofKeyType(e.keyType()), e.pkcs8());
    }
}
