package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The author's domain, from the forms a From field takes (RFC 5322 3.4, 3.6.2). */
class AuthorTest {

    private static Optional<String> domainOf(String from) {
        byte[] message = ("Subject: x\r\n" + from + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        return Author.domainOf(new byte[0], message).map(d -> d.name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // addr-spec and name-addr
            "From: alice@Example.COM | example.com",
            "From: Alice <alice@example.com> | example.com",
            "From: \"Smith, Alice\" <alice@example.com> | example.com",
            // comments that hold an @ of their own
            "From: alice@example.com (sent by bob@other.test) | example.com",
            "From: \"a (not a comment) b\" <alice@example.com> | example.com",
            // lower-case field name
            "from: alice@example.com | example.com",
    })
    void theDomainOfTheOneAuthor(String field, String domain) {
        assertEquals(Optional.of(domain), domainOf(field));
    }

    @org.junit.jupiter.api.Test
    void aFoldedFromIsUnfolded() {
        assertEquals(Optional.of("example.com"), domainOf("From: Alice\r\n <alice@example.com>"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Sender: alice@example.com",
            "From: alice@example.com, bob@example.org",
            "From: undisclosed",
            "From: <@example.com>",
    })
    void noSingleAuthorNoDomain(String field) {
        assertEquals(Optional.empty(), domainOf(field));
    }
}
