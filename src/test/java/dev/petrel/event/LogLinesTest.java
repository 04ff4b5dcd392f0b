package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The log as key=value or JSON lines, and the levels that keep or drop a line. */
class LogLinesTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T08:30:00Z"), ZoneOffset.UTC);
    private static final QueueId ID = new QueueId("1M1BDZPWL00RDFF");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private LogLines lines(LogLines.Format format, LogLines.Level threshold, Function<String, LogLines.Level> level) {
        return new LogLines(new PrintStream(bytes, true, StandardCharsets.UTF_8), format, threshold, level, CLOCK);
    }

    private List<String> written() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void keyValueLinesAreWrittenAsTheyCame() {
        LogSink sink = new LogSink(lines(LogLines.Format.KEY_VALUE, LogLines.Level.INFO, l -> LogLines.Level.INFO));
        sink.publish(new MailEvent.Removed(T, ID));
        assertEquals(List.of("2026-11-28T10:00:00Z removed id=1M1BDZPWL00RDFF by=operator"), written());
    }

    @Test
    void anEventsJsonObjectHasTheKeyValueLinesFieldsItsTimeAndLevel() throws Exception {
        MailEvent event = new MailEvent.Deferred(T, ID, "u@remote.test", "mx.remote.test[192.0.2.9]:25",
                Duration.ofMillis(1500), "4.2.1", "451 4.2.1 \"try\" later\r\nqueued id=FAKE", BounceClass.SOFT);
        new LogSink(lines(LogLines.Format.JSON, LogLines.Level.INFO, l -> LogLines.Level.INFO)).publish(event);
        JsonNode line = JSON.readTree(written().getFirst());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("time", "2026-11-28T10:00:00Z");
        expected.put("level", "info");
        expected.put("event", "deferred");
        expected.put("id", "1M1BDZPWL00RDFF");
        expected.put("to", "<u@remote.test>");
        expected.put("relay", "mx.remote.test[192.0.2.9]:25");
        expected.put("delay", "1.50");
        expected.put("dsn", "4.2.1");
        expected.put("class", "soft");
        expected.put("reply", "451 4.2.1 \"try\" later\r\nqueued id=FAKE");
        assertEquals(expected, JSON.convertValue(line, Map.class));
        assertEquals(1, written().size(), "the line breaks of the reply stay inside the one JSON line");
    }

    @Test
    void aBareWordIsTrueAndAnOperatorsLineIsAnEventToo() throws Exception {
        LogLines log = lines(LogLines.Format.JSON, LogLines.Level.INFO, l -> LogLines.Level.INFO);
        new LogSink(log).publish(new MailEvent.Queued(T, ID, "a@example.com", 5, 1, "local", null, Map.of(), true));
        log.println("admin action=\"queue hold\" by=token:ops client=127.0.0.1");
        JsonNode queued = JSON.readTree(written().get(0));
        assertEquals(true, queued.get("held").asBoolean(), queued.toString());
        assertEquals("<a@example.com>", queued.get("from").asText());
        JsonNode admin = JSON.readTree(written().get(1));
        assertEquals("admin", admin.get("event").asText());
        assertEquals("queue hold", admin.get("action").asText());
        assertEquals("2026-12-01T08:30:00Z", admin.get("time").asText(), "a line without a time has the clock's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"petrel: listening on 127.0.0.1:2525 role=mx", "petrel: stopped",
            "Exception in thread \"main\" java.lang.Error", "queued id=\"unterminated", "mixed Case=x", ""})
    void anyOtherLineIsAMessage(String text) throws Exception {
        LogLines log = lines(LogLines.Format.JSON, LogLines.Level.INFO, l -> LogLines.Level.WARNING);
        log.println(text);
        JsonNode line = JSON.readTree(written().getFirst());
        assertEquals(Map.of("time", "2026-12-01T08:30:00Z", "level", "warning", "message", text),
                JSON.convertValue(line, Map.class));
    }

    @Test
    void aThresholdKeepsItsLevelAndTheGraverOnes() {
        LogLines log = lines(LogLines.Format.KEY_VALUE, LogLines.Level.WARNING, l -> LogLines.Level.INFO);
        log.println("petrel: listening on 127.0.0.1:2525 role=mx");
        log.write(LogLines.Level.DEBUG, "petrel: detail");
        log.write(LogLines.Level.WARNING, "petrel: reload failed");
        log.write(LogLines.Level.ERROR, "petrel: cannot write");
        assertEquals(List.of("petrel: reload failed", "petrel: cannot write"), written());
    }

    @Test
    void levelsAndFormatsAreNamedAsTheConfigurationNamesThem() {
        assertEquals(LogLines.Level.WARNING, LogLines.Level.of("warning"));
        assertEquals(LogLines.Level.WARNING, LogLines.Level.of("WARN"));
        assertEquals(LogLines.Level.DEBUG, LogLines.Level.of("debug"));
        assertNull(LogLines.Level.of("loud"));
        assertEquals(LogLines.Format.JSON, LogLines.Format.of("json"));
        assertEquals(LogLines.Format.KEY_VALUE, LogLines.Format.of("key=value"));
        assertNull(LogLines.Format.of("xml"));
    }

    // whatever a value holds, quoting it as LogSink does and reading the line back gives the value again
    @Property
    void aQuotedValueReadsBackAsItWas(@ForAll String value) {
        KeyValueLine line = KeyValueLine.parse("rejected reply=" + LogSink.quote(value) + " stage=rcpt");
        assertEquals(value, line.fields().get(0)[1]);
        assertEquals("rcpt", line.fields().get(1)[1]);
    }
}
