package dev.petrel.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtensionsTest {

    @Test
    void keywordsAfterTheFirstLineAreRead() {
        Extensions e = Extensions.parse(Reply.plain(250, "mx.test Hello PIPELINING", "pipelining", "SIZE 35882577",
                "8BITMIME", "SMTPUTF8", "DSN", "CHUNKING", "STARTTLS", "ENHANCEDSTATUSCODES", "AUTH PLAIN LOGIN"));
        assertTrue(e.pipelining() && e.size() && e.eightBitMime() && e.smtpUtf8() && e.dsn() && e.chunking()
                && e.startTls() && e.enhancedStatusCodes() && e.has("AUTH"));
        assertEquals(35882577, e.maxSize());
    }

    @Test
    void theGreetingLineIsNotAKeyword() {
        Extensions e = Extensions.parse(Reply.plain(250, "STARTTLS"));
        assertFalse(e.startTls());
    }

    @ParameterizedTest
    @CsvSource({"SIZE, 0", "SIZE 0, 0", "SIZE 1000, 1000", "SIZE  1000, 1000", "SIZE big, 0", "SIZE -5, 0"})
    void sizeWithoutAUsableLimitMeansNoLimit(String line, long max) {
        Extensions e = Extensions.parse(Reply.plain(250, "mx.test", line));
        assertTrue(e.size());
        assertEquals(max, e.maxSize());
    }
}
