package dev.petrel.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.mail.Address;
import dev.petrel.net.ProxyHeaderReader;
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

    // a PROXY header may be read, refused as malformed or found cut short; it never reads past its own end
    @FuzzTest(maxDuration = "30s")
    void proxyHeadersAreReadOrRefusedAndNothingAfterIsTaken(FuzzedDataProvider data) {
        byte[] input = data.consumeRemainingAsBytes();
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(input);
        try {
            ProxyHeaderReader.read(in);
        } catch (java.io.EOFException | ProxyHeaderReader.Malformed refused) {
            return;
        } catch (java.io.IOException e) {
            throw new AssertionError("an in-memory stream failed", e);
        }
        int taken = input.length - in.available();
        if (taken > ProxyHeaderReader.MAX_OCTETS) {
            throw new AssertionError("read " + taken + " octets for one header");
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
