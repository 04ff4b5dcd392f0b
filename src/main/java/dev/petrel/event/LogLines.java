package dev.petrel.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The server's log as an operator chose it: each line printed here is kept or dropped by its {@link Level}, and
 * written as it is ({@link Format#KEY_VALUE}) or as one JSON object ({@link Format#JSON}). A line of
 * {@link LogSink} ({@code 2026-11-28T10:00:00Z queued id=... from=<a@b> size=123}) and the other key=value lines
 * ({@code admin action="..." by=...}) become {@code {"time", "level", "event", and each key}}, every value the
 * string the key=value line shows (quotes and escapes undone), a bare word ({@code held}) {@code true}; any
 * other line ({@code petrel: listening on ...}) becomes {@code {"time", "level", "message"}}.
 */
public final class LogLines extends PrintStream {

    /** How a line is written. */
    public enum Format {
        KEY_VALUE("key=value"), JSON("json");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The format of a label ("json"), or null for none. */
        public static Format of(String label) {
            for (Format f : values()) {
                if (f.label.equalsIgnoreCase(label)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** How grave a line is, gravest first: a threshold keeps its own level and those before it. */
    public enum Level {
        ERROR, WARNING, INFO, DEBUG;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The level of a label ("warning", or "warn" as SLF4J says it), or null for none. */
        public static Level of(String label) {
            String l = label.toUpperCase(Locale.ROOT);
            return l.equals("WARN") ? WARNING : java.util.Arrays.stream(values()).filter(v -> v.name().equals(l))
                    .findFirst().orElse(null);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final Format format;
    private final Level threshold;
    private final Function<String, Level> level;
    private final Clock clock;

    /**
     * Lines printed with {@link #println(String)} have the level {@code level} gives them; those graver than
     * {@code threshold} or as grave are written to {@code out}. Other {@code print} methods write through unchanged.
     */
    public LogLines(PrintStream out, Format format, Level threshold, Function<String, Level> level, Clock clock) {
        super(out, true);
        this.out = out;
        this.format = format;
        this.threshold = threshold;
        this.level = level;
        this.clock = clock;
    }

    public Format format() {
        return format;
    }

    @Override
    public void println(String line) {
        write(level.apply(line), line);
    }

    @Override
    public void println(Object x) {
        println(String.valueOf(x));
    }

    /** Whether a line of this level is written. */
    public boolean keeps(Level at) {
        return at.ordinal() <= threshold.ordinal();
    }

    /** Writes one line at a level of its own. */
    public void write(Level at, String line) {
        if (!keeps(at)) {
            return;
        }
        String text = format == Format.KEY_VALUE ? line : json(at, line);
        synchronized (out) {
            out.println(text);
        }
    }

    private String json(Level at, String line) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            KeyValueLine parsed = KeyValueLine.parse(line);
            Instant time = parsed == null || parsed.time() == null ? clock.instant().truncatedTo(ChronoUnit.MILLIS)
                    : parsed.time();
            json.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(time));
            json.writeStringField("level", at.label());
            if (parsed == null) {
                json.writeStringField("message", line);
            } else {
                parsed.writeFields(json);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** A time at the start of a line, as {@link LogSink} writes it; null when the word is not one. */
    static Instant time(String word) {
        if (word.isEmpty() || !Character.isDigit(word.charAt(0))) {
            return null;
        }
        try {
            return Instant.parse(word);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
