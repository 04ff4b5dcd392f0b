package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;

/** sd_notify's messages as a datagram socket receives them, and what happens when none listens. */
class ServiceManagerTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

    @Test
    void withoutNotifySocketNothingIsSentOrSaid() {
        ServiceManager.of(Map.of(), err).ready("up");
        ServiceManager.of(Map.of("NOTIFY_SOCKET", ""), err).stopping("down");
        assertEquals("", errors.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStatusWithALineBreakStaysOneField() throws Exception {
        Path path = dir.resolve("notify.sock");
        try (AFUNIXDatagramChannel receiver = AFUNIXDatagramChannel.open()) {
            receiver.bind(ServiceManager.address(path.toString()));
            ServiceManager.of(Map.of("NOTIFY_SOCKET", path.toString()), err).status("reloaded\nREADY=1");
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            receiver.receive(buffer);
            assertEquals("STATUS=reloaded READY=1\n", new String(buffer.array(), 0, buffer.position(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aSocketNobodyListensOnIsSaidOnStandardErrorAndTheServerGoesOn() {
        String missing = dir.resolve("absent.sock").toString();
        ServiceManager.of(Map.of("NOTIFY_SOCKET", missing), err).ready("up");
        String said = errors.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("petrel: cannot notify the service manager at NOTIFY_SOCKET=" + missing + ": "), said);
    }
}
