package dev.petrel.account;

import dev.petrel.mail.Domain;
import java.util.Arrays;

/**
 * A stored DKIM key: its domain and selector, its key type ("rsa" or "ed25519"), the private key in PKCS#8, and
 * whether the domain's mail is signed with it. One key per domain and type is active; older ones stay stored
 * while their DNS records may still be needed.
 */
public record DkimKeyEntry(Domain domain, String selector, String keyType, byte[] pkcs8, boolean active) {

    public DkimKeyEntry {
        pkcs8 = pkcs8.clone();
    }

    @Override
    public byte[] pkcs8() {
        return pkcs8.clone();
    }

    public DkimKeyEntry withActive(boolean on) {
        return new DkimKeyEntry(domain, selector, keyType, pkcs8, on);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DkimKeyEntry e && e.domain.equals(domain) && e.selector.equals(selector)
                && e.keyType.equals(keyType) && Arrays.equals(e.pkcs8, pkcs8) && e.active == active;
    }

    @Override
    public int hashCode() {
        return domain.hashCode() * 31 + selector.hashCode();
    }

    @Override
    public String toString() {
        // never print the private key
        return "DkimKeyEntry[" + selector + "._domainkey." + domain + " " + keyType + (active ? " active" : "") + "]";
    }
}
