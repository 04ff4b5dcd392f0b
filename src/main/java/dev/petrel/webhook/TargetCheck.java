package dev.petrel.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which URLs events may be POSTed to. By default only {@code https} URLs whose host resolves to public addresses
 * only, so that a tenant cannot make the server reach into its own network (loopback, private, link-local, carrier
 * NAT, unique-local, multicast); with {@code [http] webhook_allow_private = true}, also {@code http} and any address.
 * The check runs when an endpoint is added and again before each attempt, as a name may come to resolve elsewhere.
 */
public final class TargetCheck {

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    /** Thrown for a URL events may not go to; the message says why. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public TargetCheck(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** The URL parsed and checked. */
    public URI check(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("not a URL: " + e.getMessage());
        }
        check(uri);
        return uri;
    }

    public void check(URI uri) throws Refused {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            throw new Refused("the URL must be https" + (allowPrivate ? " or http" : "")
                    + (allowPrivate ? "" : " (http.webhook_allow_private = true allows http)") + ": " + uri);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("the URL has no host: " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("the URL must not carry a user name or password");
        }
        if (allowPrivate) {
            return;
        }
        List<InetAddress> addresses;
        try {
            addresses = literal(uri.getHost()) ? List.of(InetAddress.getByName(uri.getHost()))
                    : resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("the host " + uri.getHost() + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new Refused("the host " + uri.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new Refused("the host " + uri.getHost() + " resolves to " + a.getHostAddress()
                        + ", which is not a public address (http.webhook_allow_private = true allows it)");
            }
        }
    }

    /** Whether the address is on the public internet. */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // RFC 6598 carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // RFC 6890 IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // RFC 2544 benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            boolean mappedOrCompatible = isZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                    || isZero(b, 10, 12));
            if (mappedOrCompatible) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return (first & 0xfe) != 0xfc // RFC 4193 unique local
                    && !(first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8); // documentation
        }
        return false;
    }

    // an address written in the URL is taken as it is, not looked up
    private static boolean literal(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
