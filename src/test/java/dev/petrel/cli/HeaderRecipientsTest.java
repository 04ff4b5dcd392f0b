package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderRecipientsTest {

    @Test
    void toCcAndBccNameTheRecipientsAndBccIsRemoved() {
        String message = "From: me@example.com\r\nTo: Ann <ann@example.com>, bob@example.com\r\n"
                + "cc: carl@example.com,\r\n\tdora@example.com\r\nBCC: <eve@example.com>\r\nSubject: hi\r\n\r\n"
                + "To: body@example.com\r\n";
        HeaderRecipients.Result r = HeaderRecipients.extract(message.getBytes(StandardCharsets.UTF_8));
        // angle brackets win over bare addresses in a field that has them
        assertEquals(List.of(Address.of("ann@example.com"), Address.of("carl@example.com"),
                Address.of("dora@example.com"), Address.of("eve@example.com")), r.addresses());
        assertEquals("From: me@example.com\r\nTo: Ann <ann@example.com>, bob@example.com\r\n"
                + "cc: carl@example.com,\r\n\tdora@example.com\r\nSubject: hi\r\n\r\nTo: body@example.com\r\n",
                new String(r.withoutBcc(), StandardCharsets.UTF_8));
    }

    @Test
    void aMessageWithoutBodyIsAllHeader() {
        HeaderRecipients.Result r = HeaderRecipients.extract("To: a@example.com\r\nBcc: b@example.com\r\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(Address.of("a@example.com"), Address.of("b@example.com")), r.addresses());
        assertEquals("To: a@example.com\r\n", new String(r.withoutBcc(), StandardCharsets.UTF_8));
    }
}
