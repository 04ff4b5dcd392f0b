package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            # ASCII names are folded to lower case (RFC 5321 2.4)
            example.com,            example.com
            Example.COM,            example.com
            MX1.Sub.EXAMPLE.org,    mx1.sub.example.org
            # digits and inner hyphens are fine in any label
            123.example,            123.example
            a-b--c.example,         a-b--c.example
            localhost,              localhost
            # internationalized names are held as A-labels (RFC 5890), whatever their case
            bücher.example,         xn--bcher-kva.example
            BÜCHER.example,         xn--bcher-kva.example
            xn--bcher-kva.example,  xn--bcher-kva.example
            XN--BCHER-KVA.EXAMPLE,  xn--bcher-kva.example
            例え.テスト,              xn--r8jz45g.xn--zckzah
            """)
    void domainsAreHeldInOneCanonicalForm(String text, String canonical) {
        assertEquals(canonical, Domain.parse(text).name());
        assertEquals(Domain.parse(canonical), Domain.parse(text));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // empty labels
            "", ".", ".example.com", "example.com.", "example..com",
            // hyphens at the edges of a label (RFC 5321 4.1.2 Let-dig)
            "-example.com", "example-.com", "example.-com",
            // characters outside letters, digits and hyphen
            "exa_mple.com", "exa mple.com", "example.com/", "user@example.com", "exa*mple.com",
            // address literals that are broken
            "[", "[]", "[192.0.2.1", "[1.2.3.4.5]", "[300.1.1.1]", "[IPv6:]", "[IPv6:::1", "[IPv6:g::1]",
            "[IPv6:1::2::3]", "[IPv6:1:2:3:4:5:6:7:8:9]", "[example.com]",
    })
    void invalidDomainsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Domain.parse(text));
    }

    @Test
    void labelsMayHave63OctetsButNot64() {
        Domain.parse("a".repeat(63) + ".example");
        assertThrows(IllegalArgumentException.class, () -> Domain.parse("a".repeat(64) + ".example"));
    }

    @Test
    void domainsMayHave255OctetsButNot256() {
        // 128 one-letter labels and 127 dots make 255 octets
        String longest = "a" + ".a".repeat(127);
        assertEquals(255, longest.length());
        assertEquals(longest, Domain.parse(longest).name());
        String tooLong = "ab" + ".a".repeat(127);
        assertEquals(256, tooLong.length());
        assertThrows(IllegalArgumentException.class, () -> Domain.parse(tooLong));
    }

    @Test
    void theLengthLimitAppliesToTheALabelForm() {
        // 60 "ü" become a 67-octet A-label: too long for one label although it is 60 characters
        assertThrows(IllegalArgumentException.class, () -> Domain.parse("ü".repeat(60) + ".example"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            # IPv4 literals keep their text
            [192.0.2.1],          [192.0.2.1]
            [0.0.0.0],            [0.0.0.0]
            [255.255.255.255],    [255.255.255.255]
            # IPv6 literals: the tag is spelt IPv6 and the address is lowercased
            [IPv6:::1],           [IPv6:::1]
            [ipv6:2001:DB8::1],   [IPv6:2001:db8::1]
            [IPv6:1:2:3:4:5:6:7:8],  [IPv6:1:2:3:4:5:6:7:8]
            [IPv6:::ffff:192.0.2.1], [IPv6:::ffff:192.0.2.1]
            """)
    void addressLiteralsAreRecognized(String text, String canonical) {
        Domain domain = Domain.parse(text);
        assertTrue(domain.isAddressLiteral());
        assertEquals(canonical, domain.name());
        assertEquals(canonical, domain.unicode());
    }

    @Test
    void unicodeGivesTheDisplayFormOfAnALabel() {
        Domain domain = Domain.parse("xn--bcher-kva.example");
        assertFalse(domain.isAddressLiteral());
        assertEquals("bücher.example", domain.unicode());
        assertEquals("xn--bcher-kva.example", domain.toString());
    }
}
