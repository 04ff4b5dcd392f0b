package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddressTest {

    static Stream<Arguments> validAsciiMailboxes() {
        return Stream.of(
                // RFC 5321 4.1.2 Dot-string: atoms joined by single dots
                Arguments.of("user@example.com", "user", "example.com"),
                Arguments.of("first.last@example.com", "first.last", "example.com"),
                Arguments.of("user+tag@example.com", "user+tag", "example.com"),
                Arguments.of("!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~", "example.com"),
                // the local part keeps its case (RFC 5321 2.4), the domain is folded
                Arguments.of("John.Doe@EXAMPLE.Com", "John.Doe", "example.com"),
                // RFC 5321 4.1.2 Quoted-string: the quotes go, quoted pairs lose their backslash
                Arguments.of("\"john doe\"@example.com", "john doe", "example.com"),
                Arguments.of("\"a\\\"b\"@example.com", "a\"b", "example.com"),
                Arguments.of("\"a\\\\b\"@example.com", "a\\b", "example.com"),
                Arguments.of("\"\\a\"@example.com", "a", "example.com"),
                Arguments.of("\"..\"@example.com", "..", "example.com"),
                // an "@" inside quotes is part of the local part; the domain follows the last bare "@"
                Arguments.of("\"user@remote.test\"@localhost", "user@remote.test", "localhost"),
                // % and ! are ordinary atext: never routing
                Arguments.of("user%remote.test@localhost", "user%remote.test", "localhost"),
                Arguments.of("remote.test!user@localhost", "remote.test!user", "localhost"),
                // RFC 5321 4.1.3 address literals
                Arguments.of("user@[192.0.2.1]", "user", "[192.0.2.1]"),
                Arguments.of("user@[IPv6:2001:db8::1]", "user", "[IPv6:2001:db8::1]"),
                Arguments.of("user@[ipv6:2001:DB8::1]", "user", "[IPv6:2001:db8::1]"),
                Arguments.of("user@[IPv6:::ffff:192.0.2.1]", "user", "[IPv6:::ffff:192.0.2.1]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validAsciiMailboxes")
    void validMailboxesParseIntoLocalPartAndDomain(String text, String localPart, String domain) {
        Address address = Address.parse(text, false);
        assertEquals(localPart, address.localPart());
        assertEquals(domain, address.domain().name());
        // the same text is valid with SMTPUTF8 too, and means the same
        assertEquals(address, Address.parse(text, true));
        assertFalse(address.needsUtf8());
    }

    static Stream<String> invalidMailboxes() {
        return Stream.of(
                // no local part, no domain, no "@"
                "", "user", "@example.com", "user@",
                // broken dot-strings
                ".user@example.com", "user.@example.com", "us..er@example.com", "us er@example.com",
                "us(er)@example.com", "us\"er@example.com", "us\\er@example.com", "a,b@example.com",
                // broken quoted strings
                "\"\"@example.com", "\"unterminated@example.com", "\"a\"b@example.com", "\"a\\\"@example.com",
                "\"tab\there\"@example.com", "\"ctl\\\u0001\"@example.com",
                // broken domains
                "user@-example.com", "user@example..com", "user@exa_mple.com", "user@example.com.",
                // broken address literals (RFC 5321 4.1.3)
                "user@[]", "user@[192.0.2.1", "user@[256.0.0.1]", "user@[192.0.2]", "user@[192.0.2.1.5]",
                "user@[a.b.c.d]", "user@[IPv6:]", "user@[IPv6:zz::1]", "user@[IPv6:192.0.2.1]",
                "user@[IPv6:1::2::3]", "user@[IPv6:1:2:3:4:5:6:7:8:9]", "user@[IPv6::::]");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("invalidMailboxes")
    void invalidMailboxesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Address.parse(text, false));
        assertThrows(IllegalArgumentException.class, () -> Address.parse(text, true));
    }

    static Stream<Arguments> utf8Mailboxes() {
        return Stream.of(
                // RFC 6531 3.3: UTF-8 in the local part
                Arguments.of("jösé@example.com", "jösé", "example.com", true),
                Arguments.of("\"jö se\"@example.com", "jö se", "example.com", true),
                Arguments.of("用户@example.com", "用户", "example.com", true),
                // UTF-8 in the domain: held as A-labels, so only the local part needs SMTPUTF8 later
                Arguments.of("user@bücher.example", "user", "xn--bcher-kva.example", false),
                Arguments.of("ü@bücher.example", "ü", "xn--bcher-kva.example", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("utf8Mailboxes")
    void utf8MailboxesNeedSmtpUtf8(String text, String localPart, String domain, boolean needsUtf8) {
        assertThrows(IllegalArgumentException.class, () -> Address.parse(text, false));
        Address address = Address.parse(text, true);
        assertEquals(localPart, address.localPart());
        assertEquals(domain, address.domain().name());
        assertEquals(needsUtf8, address.needsUtf8());
    }

    @Test
    void localPartOf64OctetsIsAcceptedAnd65Refused() {
        assertEquals(64, Address.parse("a".repeat(64) + "@example.com", false).localPart().length());
        assertThrows(IllegalArgumentException.class, () -> Address.parse("a".repeat(65) + "@example.com", false));
    }

    @Test
    void localPartLimitCountsTheQuotesOfAQuotedString() {
        // RFC 5321 4.5.3.1.1 limits the Local-part, and a Quoted-string includes its quotes
        Address.parse("\"" + " ".repeat(62) + "\"@example.com", false);
        assertThrows(IllegalArgumentException.class,
                () -> Address.parse("\"" + " ".repeat(63) + "\"@example.com", false));
    }

    @Test
    void localPartLimitIsInOctetsNotCharacters() {
        // "é" is two octets in UTF-8: 32 of them fill the 64 octets, 33 do not fit
        Address.parse("é".repeat(32) + "@example.com", true);
        assertThrows(IllegalArgumentException.class, () -> Address.parse("é".repeat(33) + "@example.com", true));
    }

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                // a dot-string prints as it is
                Arguments.of("user@example.com", "user@example.com"),
                Arguments.of("First.Last@Example.COM", "First.Last@example.com"),
                // needless quotes are dropped
                Arguments.of("\"user\"@example.com", "user@example.com"),
                Arguments.of("\"\\u\\s\\e\\r\"@example.com", "user@example.com"),
                // a local part that is no dot-string is quoted again, escaping " and \
                Arguments.of("\"john doe\"@example.com", "\"john doe\"@example.com"),
                Arguments.of("\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com"),
                Arguments.of("\"a\\\\b\"@example.com", "\"a\\\\b\"@example.com"),
                Arguments.of("\".user\"@example.com", "\".user\"@example.com"),
                Arguments.of("\"user@remote.test\"@localhost", "\"user@remote.test\"@localhost"),
                // domains print in their A-label form
                Arguments.of("user@BÜCHER.example", "user@xn--bcher-kva.example"));
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @MethodSource("canonicalForms")
    void toStringGivesTheCanonicalFormThatParsesBack(String text, String printed) {
        Address address = Address.parse(text, true);
        assertEquals(printed, address.toString());
        assertEquals(address, Address.parse(printed, true));
    }

    @Property(tries = 500)
    void anyPrintableAsciiLocalPartSurvivesPrintingAndParsing(
            @ForAll @CharRange(from = ' ', to = '~') @StringLength(min = 1, max = 30) String localPart) {
        Address address = new Address(localPart, Domain.parse("example.com"));
        Address again = Address.parse(address.toString(), false);
        assertEquals(address, again);
    }

    @Test
    void ofAcceptsUtf8AndRefusesGarbage() {
        assertTrue(Address.of("jö@example.com").needsUtf8());
        assertThrows(IllegalArgumentException.class, () -> Address.of("not an address"));
    }

    @Test
    void emptyLocalPartCannotBeConstructed() {
        assertThrows(IllegalArgumentException.class, () -> new Address("", Domain.parse("example.com")));
    }

    @Test
    void reversePathIsNullOrAMailbox() {
        assertTrue(ReversePath.NULL.isNull());
        assertEquals("", ReversePath.NULL.toString());
        assertTrue(ReversePath.NULL.mailbox().isEmpty());
        ReversePath path = ReversePath.of(Address.of("a@example.com"));
        assertFalse(path.isNull());
        assertEquals("a@example.com", path.toString());
        assertEquals(Address.of("a@example.com"), path.mailbox().orElseThrow());
    }
}
