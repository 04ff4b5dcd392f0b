package dev.petrel.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a stream's egress may be: a pool, or a source address and EHLO name of its own, never both. */
class StreamTest {

    private static final TenantId ACME = new TenantId("acme");

    private static Stream stream(String source, String ehlo, String egress) {
        return Stream.of(ACME, "news", Stream.Kind.BROADCAST, source, ehlo, egress, Instant.EPOCH);
    }

    @ParameterizedTest(name = "source={0} ehlo={1} egress={2}")
    @CsvSource(nullValues = "-", textBlock = """
            -,            -,               -
            192.0.2.7,    out.acme.test,   -
            2001:db8::7,  -,               -
            -,            out.acme.test,   -
            -,            -,               bulk
            """)
    void anEgressIsAPoolOrAnAddressAndNameOfItsOwn(String source, String ehlo, String egress) {
        Stream s = stream(source, ehlo, egress);
        assertEquals(egress, s.egress());
        assertEquals(source, s.source());
        assertEquals(ehlo, s.ehlo());
    }

    @ParameterizedTest(name = "source={0} ehlo={1} egress={2}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            # both a pool and an address or name of its own
            192.0.2.7     | -              | bulk   | not both
            -             | out.acme.test  | bulk   | not both
            # a source is an IP literal, never a name to look up
            out.acme.test | -              | -      | not an IP address: out.acme.test
            192.168       | -              | -      | not an IP address: 192.168
            # a pool's name is written as a stream's
            -             | -              | Bulk   | an egress pool's name is 1 to 64 lower-case letters
            """)
    void aStreamWithAnUnclearOrWrongEgressIsRefused(String source, String ehlo, String egress, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stream(source, ehlo, egress));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
