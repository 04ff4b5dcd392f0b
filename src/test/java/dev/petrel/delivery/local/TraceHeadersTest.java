package dev.petrel.delivery.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.Address;
import dev.petrel.mail.ReversePath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aMailboxDeliveryAddsReturnPathAndDeliveredTo() {
        assertEquals("Return-Path: <a@remote.test>\r\nDelivered-To: alice+x@example.com\r\n",
                text(TraceHeaders.forMailbox(ReversePath.of(Address.of("a@remote.test")), Address.of("alice+x@example.com"))));
        // RFC 5321 4.4: a bounce has an empty Return-Path
        assertEquals("Return-Path: <>\r\nDelivered-To: alice@example.com\r\n",
                text(TraceHeaders.forMailbox(ReversePath.NULL, Address.of("alice@example.com"))));
    }

    @Test
    void deliveredToIsReadFromTheHeaderSectionOnly() {
        byte[] message = ("Delivered-To: Sales@Example.com\r\nSubject: x\r\ndelivered-to:  bob@example.com \r\n\r\n"
                + "Delivered-To: body@example.com\r\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(Set.of("sales@example.com", "bob@example.com"), TraceHeaders.deliveredTo(message));
        assertEquals(Set.of(), TraceHeaders.deliveredTo("Subject: x\n\nbody\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void lmtpTargetsAreWrittenAsPostfixWritesThem() {
        assertEquals(new LmtpTarget.Inet("127.0.0.1", 24), LmtpTarget.parse("lmtp:127.0.0.1:24"));
        assertEquals(new LmtpTarget.Inet("::1", 2424), LmtpTarget.parse("lmtp:[::1]:2424"));
        assertEquals(new LmtpTarget.Unix(Path.of("/run/dovecot/lmtp")), LmtpTarget.parse("lmtp:unix:/run/dovecot/lmtp"));
        assertEquals("127.0.0.1[127.0.0.1]:24", LmtpTarget.parse("lmtp:127.0.0.1:24").relay());
        for (String bad : new String[] {"smtp:127.0.0.1:25", "lmtp:127.0.0.1", "lmtp:unix:relative", "lmtp:host:0",
                "lmtp::24"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LmtpTarget.parse(bad), bad);
        }
    }
}
