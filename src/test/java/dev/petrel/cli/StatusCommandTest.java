package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code petrel status} judges each line of a server's report. */
class StatusCommandTest {

    private final StatusCommand status = new StatusCommand();
    private final List<String> problems = new ArrayList<>();

    @Test
    void aListenerThatTakesAConnectionAnswers() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String line = "listener 127.0.0.1:" + open.getLocalPort() + " role=mx";
            assertEquals(line + " answers", status.judge(line, problems));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aListenerThatRefusesIsAProblem() throws IOException {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        String line = "listener 127.0.0.1:" + port + " role=submission";
        assertEquals(line + " does not answer", status.judge(line, problems));
        assertEquals(List.of("127.0.0.1:" + port + " role=submission does not answer"), problems);
    }

    @Test
    void aFeedReaderFurtherBehindThanMaxLagIsAProblemAndOneAtItIsNot() {
        status.maxLag = 100;
        status.judge("feed consumer=log lag=100", problems);
        assertEquals(List.of(), problems);
        status.judge("feed consumer=webhooks lag=101", problems);
        assertEquals(List.of("feed consumer webhooks is 101 events behind (over --max-lag 100)"), problems);
    }

    @Test
    void aStoreErrorIsAProblemAndTheQueueDepthIsOnlyReported() {
        assertEquals("queue messages=90000", status.judge("queue messages=90000", problems));
        assertEquals(List.of(), problems);
        status.judge("store error=\"the store does not answer: connection refused\"", problems);
        assertEquals(List.of("the store does not answer"), problems);
    }
}
