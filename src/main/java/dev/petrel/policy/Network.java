package dev.petrel.policy;

import dev.petrel.mail.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code ::1/128}, or a bare address). */
public record Network(byte[] prefix, int bits) {

    public static Network parse(String cidr) {
        int slash = cidr.indexOf('/');
        String host = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] address;
        try {
            address = IpLiteral.parse(host).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP network: " + cidr, e);
        }
        int bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("bad prefix length: " + cidr);
        }
        return new Network(address, bits);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != prefix.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (prefix[full] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
