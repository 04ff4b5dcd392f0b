package dev.petrel.mail.mime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code email} package, a MIME parser Petrel did not write, reading composed messages through
 * {@code src/test/resources/mime/parse_mime.py}: one process for many messages. Python 3 is a test dependency
 * (.ci/run installs it); without it these tests fail rather than skip.
 */
final class PythonEmail implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process python;
    private final Writer in;
    private final BufferedReader out;

    PythonEmail() {
        try {
            Path script = Path.of(PythonEmail.class.getResource("/mime/parse_mime.py").toURI());
            python = new ProcessBuilder("python3", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot start python3", e);
        }
        in = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.US_ASCII);
        out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    }

    /** What Python found in {@code message}; fails when it could not read it at all. */
    JsonNode read(byte[] message) {
        try {
            in.write(Base64.getEncoder().encodeToString(message) + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("python3 ended");
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error")) {
                throw new AssertionError("Python could not read the message: " + answer.get("error").asText());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process is ending anyway
        }
        if (!python.waitFor(10, TimeUnit.SECONDS)) {
            python.destroyForcibly();
        }
    }
}
