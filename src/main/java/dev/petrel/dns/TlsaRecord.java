package dev.petrel.dns;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One TLSA record (RFC 6698 2.1): how the server's certificate is to be matched. The fields are kept as numbers,
 * as the DNS gives them; what they mean for SMTP (RFC 7672 3.1) is for delivery to judge.
 *
 * @param usage 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218 2.1)
 * @param selector 0 the full certificate, 1 its SubjectPublicKeyInfo (RFC 6698 2.1.2)
 * @param matchingType 0 the data itself, 1 its SHA-256, 2 its SHA-512 (RFC 6698 2.1.3)
 * @param data the certificate association data
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

    public TlsaRecord {
        if (usage < 0 || usage > 255 || selector < 0 || selector > 255 || matchingType < 0 || matchingType > 255) {
            throw new IllegalArgumentException("TLSA fields are octets: " + usage + " " + selector + " " + matchingType);
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaRecord t && t.usage == usage && t.selector == selector
                && t.matchingType == matchingType && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + usage * 65536 + selector * 256 + matchingType;
    }

    /** As a zone file writes it: {@code 3 1 1 0123ab…}. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }
}
