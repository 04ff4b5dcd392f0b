package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(textBlock = """
            # IPv4 networks
            192.0.2.0/24,      192.0.2.1,        true
            192.0.2.0/24,      192.0.2.255,      true
            192.0.2.0/24,      192.0.3.1,        false
            10.0.0.0/8,        10.255.255.255,   true
            10.0.0.0/8,        11.0.0.0,         false
            # prefixes that do not end on an octet
            192.0.2.128/25,    192.0.2.128,      true
            192.0.2.128/25,    192.0.2.127,      false
            172.16.0.0/12,     172.31.255.255,   true
            172.16.0.0/12,     172.32.0.0,       false
            # host bits in the prefix are ignored
            192.0.2.77/24,     192.0.2.1,        true
            # /32 and a bare address are one host
            192.0.2.1/32,      192.0.2.1,        true
            192.0.2.1/32,      192.0.2.2,        false
            192.0.2.1,         192.0.2.1,        true
            192.0.2.1,         192.0.2.2,        false
            # /0 is every address of its family
            0.0.0.0/0,         203.0.113.9,      true
            0.0.0.0/0,         255.255.255.255,  true
            # IPv6 networks
            2001:db8::/32,     2001:db8:1::1,    true
            2001:db8::/32,     2001:db9::1,      false
            2001:db8::/33,     2001:db8:7fff::1, true
            2001:db8::/33,     2001:db8:8000::1, false
            ::1/128,           ::1,              true
            ::1/128,           ::2,              false
            ::1,               ::1,              true
            ::/0,              2001:db8::1,      true
            fe80::/10,         febf::1,          true
            fe80::/10,         fec0::1,          false
            # families never mix, not even with /0
            0.0.0.0/0,         ::1,              false
            0.0.0.0/0,         2001:db8::1,      false
            ::/0,              127.0.0.1,        false
            # but an IPv4-mapped address is the IPv4 client it maps, as a dual-stack socket reports it
            192.0.2.0/24,      ::ffff:c000:201,  true
            """)
    void networksContainTheirAddressesOnly(String cidr, String address, boolean contained) throws UnknownHostException {
        assertEquals(contained, Network.parse(cidr).contains(InetAddress.getByName(address)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            192.0.2.0/24,  192.0.2.0/24
            192.0.2.1,     192.0.2.1/32
            ::1,           0:0:0:0:0:0:0:1/128
            2001:db8::/32, 2001:db8:0:0:0:0:0:0/32
            """)
    void networksPrintInCidrNotation(String cidr, String printed) {
        assertEquals(printed, Network.parse(cidr).toString());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // prefix lengths beyond the family's bits, negative or not a number
            "192.0.2.0/33", "::/129", "192.0.2.0/-1", "192.0.2.0/x", "192.0.2.0/",
            // names are not networks: they would need a DNS look-up
            "localhost", "example.com", "mx.example.com/24", "cafe.be", "dead.beef/16", "abc",
            // the ambiguous BSD forms of IPv4
            "10.1", "192.0.2", "10/8", "192.168/16",
            // not addresses at all
            "", "/24", "192.0.2.300", "1:2:3:4:5:6:7:8:9", "1::2::3",
    })
    void malformedNetworksAreRefused(String cidr) {
        assertThrows(IllegalArgumentException.class, () -> Network.parse(cidr));
    }
}
