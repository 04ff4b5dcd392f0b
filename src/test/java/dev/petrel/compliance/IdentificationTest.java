package dev.petrel.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What CASL 6(2) asks a sender's identification to give, read from a tenant's text. */
class IdentificationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // complete: name, mailing address, and an email, a web address or a telephone number
            "Acme Inc., 1 Main St, Toronto ON M5V 2T6, help@acme.test|",
            "Acme Inc.\\n100 King St W, Suite 5600\\nToronto ON M5X 1C9\\nhttps://acme.example|",
            "Acme Inc.\\nPO Box 42, Ottawa ON K1A 0B1\\nTel. +1 (613) 555-0100|",
            "Acme Inc., 1 Main St, www.acme.example|",
            // what is missing, in the regulations' order
            "|NAME MAILING_ADDRESS CONTACT",
            "Acme Inc.|MAILING_ADDRESS CONTACT",
            "Acme Inc., 1 Main St|CONTACT",
            "Acme Inc., help@acme.test|MAILING_ADDRESS",
            "Acme Inc., Toronto, help@acme.test|MAILING_ADDRESS",
            // a contact alone is no name, and a telephone number is no mailing address
            "help@acme.test, 1 Main St|NAME CONTACT",
            "Acme Inc., +1 416 555 0100|MAILING_ADDRESS",
    })
    void namesWhatTheIdentificationLacks(String text, String missing) {
        String identification = text == null ? "" : text.replace("\\n", "\n");
        List<Identification.Part> expected = missing == null ? List.of()
                : java.util.Arrays.stream(missing.split(" ")).map(Identification.Part::valueOf).toList();
        assertEquals(expected, Identification.missing(identification), identification);
    }
}
