package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueIdTest {

    private static final long MAX_MICROS = (1L << 55) - 1;

    /** A generator whose every draw is the same 64 bits. */
    private static RandomGenerator constant(long bits) {
        return () -> bits;
    }

    @Test
    void generatedIdsHaveFifteenCharactersFromTheAlphabet() {
        long now = Instant.parse("2026-11-28T10:00:00Z").toEpochMilli() * 1000;
        QueueId id = QueueId.generate(now, new Random(7));
        assertEquals(15, id.value().length());
        assertTrue(id.value().matches("[0-9BCDFGHJKLMNPQRSTVWXYZb]+"), id.value());
        assertEquals(id, new QueueId(id.value()));
    }

    @Test
    void aLaterMicrosecondSortsAfterWhateverTheRandomBits() {
        long t = 1_764_000_000_000_000L;
        QueueId earlierWithHighBits = QueueId.generate(t, constant(-1L));
        QueueId laterWithLowBits = QueueId.generate(t + 1, constant(0L));
        assertTrue(earlierWithHighBits.compareTo(laterWithLowBits) < 0);
        assertTrue(earlierWithHighBits.value().compareTo(laterWithLowBits.value()) < 0);
    }

    @Test
    void theRandomBitsTellApartIdsOfTheSameMicrosecond() {
        long t = 1_764_000_000_000_000L;
        assertNotEquals(QueueId.generate(t, constant(0L)), QueueId.generate(t, constant(-1L)));
    }

    @Property(tries = 1000)
    void idsSortLikeTheirTimes(@ForAll @LongRange(min = 0, max = MAX_MICROS) long a,
                               @ForAll @LongRange(min = 0, max = MAX_MICROS) long b,
                               @ForAll long bitsA, @ForAll long bitsB) {
        QueueId idA = QueueId.generate(a, constant(bitsA));
        QueueId idB = QueueId.generate(b, constant(bitsB));
        if (a < b) {
            assertTrue(idA.compareTo(idB) < 0, idA + " < " + idB);
        } else if (a > b) {
            assertTrue(idA.compareTo(idB) > 0, idA + " > " + idB);
        }
        // whatever the string order, an id always parses back
        assertEquals(idA, new QueueId(idA.toString()));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // too short (under 8) or too long (over 32)
            "", "1234567", "123456789012345678901234567890123",
            // vowels and most lowercase letters are not in the alphabet, so ids never spell words
            "0000000A0000000", "0000000E0000000", "0000000U0000000", "00000000000000a", "00000000000000c",
            // separators and spaces
            "0000000-0000000", "0000000 0000000", "00000000/000000",
    })
    void idsOutsideTheAlphabetOrLengthAreRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> new QueueId(value));
    }

    @Test
    void aNullIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QueueId(null));
    }
}
