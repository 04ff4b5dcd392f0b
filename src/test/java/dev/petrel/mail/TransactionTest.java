package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a transaction says about RFC 8689: REQUIRETLS from the envelope, TLS-Required from the header section. */
class TransactionTest {

    private static Transaction transaction(String sender, boolean tagged, String header) {
        ReversePath path = sender.isEmpty() ? ReversePath.NULL : ReversePath.of(Address.of(sender));
        Envelope envelope = new Envelope(path, List.of(Recipient.of(Address.of("b@remote.test"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "local", null, tagged);
        String content = header.replace("|", "\r\n") + "Subject: x\r\n\r\nTLS-Required: No\r\n";
        return Transaction.of(envelope, content.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "[{index}] <{0}> tagged={1} {2}")
    @CsvSource(delimiter = ';', textBlock = """
            # RFC 8689 4.2.1: a tagged message with a sender needs REQUIRETLS; a tagged notice (null path) does not
            a@here.test; true;  '';                          true;  false
            '';          true;  '';                          false; false
            a@here.test; false; '';                          false; false
            # RFC 8689 3: "TLS-Required: No", in any case and with white space, asks for the policy to be set aside
            a@here.test; false; 'TLS-Required: No|';         false; true
            a@here.test; false; 'tls-required:   no  |';     false; true
            a@here.test; false; 'TLS-Required:|  No|';       false; true
            # another value is not "No"; the field in the body is no header field
            a@here.test; false; 'TLS-Required: Yes|';        false; false
            # RFC 8689 4.1: with REQUIRETLS on MAIL the header field is ignored
            a@here.test; true;  'TLS-Required: No|';         true;  false
            """)
    void requireTlsAndTlsRequiredNo(String sender, boolean tagged, String header, boolean required, boolean optional) {
        Transaction t = transaction(sender, tagged, header);
        assertEquals(required, t.tlsRequired());
        assertEquals(optional, t.tlsOptional());
        if (required) {
            assertFalse(t.tlsOptional());
        }
        assertTrue(t.envelope().withRequireTls(true).requireTls());
    }
}
