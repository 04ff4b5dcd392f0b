package dev.petrel.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.mail.Address;
import dev.petrel.smtp.CommandParser;

/**
 * Jazzer fuzz tests of the parsers that read what strangers send. Run by {@code bin/test} on their seed inputs
 * (src/test/resources/dev/petrel/fuzz/ParserFuzzTestInputs/); {@code bench/fuzz TARGET SECONDS} fuzzes
 * one for real. A parser may refuse its input with {@link IllegalArgumentException}; anything else is a bug.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void commandLinesNeverCrashTheParser(FuzzedDataProvider data) {
        CommandParser.parse(data.consumeRemainingAsString());
    }

    @FuzzTest(maxDuration = "30s")
    void addressesParseOrAreRefused(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Address a = Address.parse(text, true);
            // what parses prints as something that parses to the same address
            Address again = Address.parse(a.toString(), true);
            if (!again.equals(a)) {
                throw new AssertionError("round trip changed " + a + " into " + again);
            }
        } catch (IllegalArgumentException refused) {
            // not an address
        }
    }

    @FuzzTest(maxDuration = "30s")
    void headerSectionsOfAnyBytesAreRead(FuzzedDataProvider data) {
        byte[] message = data.consumeRemainingAsBytes();
        dev.petrel.mail.HeaderSection.read(message).without("bcc");
        dev.petrel.mailauth.Author.domainOf(new byte[0], message);
        dev.petrel.mailauth.AuthenticationResults.withoutOurs(message, "mx.example.com");
    }
}
