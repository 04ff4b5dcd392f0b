package dev.petrel.conversation;

import dev.petrel.server.TlsMaterial;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer 2 of STYLE.md "Tests": every script under {@code src/test/resources/conversations/<role>/} runs twice,
 * in memory against a socket-free session and over loopback against the listener of the same role, each
 * time with a Petrel of its own. A test is named {@code role/behaviour [memory]} or {@code [loopback]}.
 *
 * <h2>The script format</h2>
 * <pre>
 * # RFC 5321 4.1.1.4: what the script checks        (the first line: the rule, and what is checked)
 * role mx                                            (mx | submission | submissions)
 * S: 220 *
 * C: EHLO client.test
 * S* 250 *
 * </pre>
 * <b>Set-up lines</b>, before or among the steps (they act before the conversation starts):
 * <ul>
 *   <li>{@code user ADDRESS PASSWORD}: an account, as {@code petrel user add} makes it;</li>
 *   <li>{@code domain NAME local}: a local domain; {@code domain NAME}: a sending domain;</li>
 *   <li>{@code relay_networks CIDR}: a client network that may relay (may repeat);</li>
 *   <li>{@code limit KEY VALUE}: a key of the configuration's {@code [limits]} table, such as
 *       {@code limit recipients 2}, {@code limit message_size 1000}, {@code limit errors 3},
 *       {@code limit line_length 600}, {@code limit auth_failures 2};</li>
 *   <li>{@code timeout KEY DURATION}: a key of the {@code [timeouts]} table, such as {@code timeout helo 300ms};</li>
 *   <li>{@code loopback-only} or {@code memory-only}: when one way cannot model the behaviour.</li>
 * </ul>
 * The server's hostname is {@code mx.petrel.test}; {@code localhost} is its only local domain unless a
 * {@code domain} line adds one. Clients connect from 127.0.0.1.
 * <p>
 * <b>Steps</b>; a directive is followed by one space, and the rest of the line is taken as written:
 * <ul>
 *   <li>{@code S: text}: the next reply line equals the text, or starts with it when the text ends in
 *       {@code *};</li>
 *   <li>{@code S~ regex}: the next reply line matches the regular expression (all of it);</li>
 *   <li>{@code S* text}: as {@code S:}, for the last line of a multi-line reply; the continuation lines
 *       before it ({@code 250-...}) are skipped;</li>
 *   <li>{@code C: line}: the client sends the line and CRLF;</li>
 *   <li>{@code C! raw}: the client sends the bytes, with the escapes {@code \r \n \t \\ \xNN};</li>
 *   <li>{@code starttls}: the TLS handshake, after the 220 to STARTTLS was read (in memory the session is
 *       told TLS started, as {@code TLSv1.3} with {@code TLS_AES_128_GCM_SHA256});</li>
 *   <li>{@code closed}: the server closed the connection, and sent nothing more;</li>
 *   <li>{@code idle}: the client sends nothing until the server's timeout for the phase has passed (in
 *       memory the session is told the timeout passed; over loopback, set a short {@code timeout});</li>
 *   <li>{@code reconnect}: the client closes the connection and opens a new one from the same address;</li>
 *   <li>{@code queue count N}, {@code queue contains "text"}, {@code queue lacks "text"} (the last queued
 *       message's content, headers added by Petrel included; the text takes the escapes of {@code C!}),
 *       {@code queue sender <addr>} ({@code <>} for the null sender), {@code queue recipients a@x,b@y},
 *       {@code queue requiretls yes|no} (RFC 8689: the envelope is tagged).</li>
 * </ul>
 * Consecutive {@code C:} and {@code C!} lines go out in one write, so several of them before their
 * {@code S:} lines test pipelining. In memory, every reply must be read by the script.
 * <p>
 * <b>Macros</b> in {@code C:} and {@code C!} lines: {@code {plain USER PASSWORD}} is the base64 of
 * {@code \0USER\0PASSWORD} (AUTH PLAIN, RFC 4616); {@code {base64 TEXT}} is the base64 of the text (AUTH
 * LOGIN); {@code {repeat N TEXT}} is the text N times (long lines, big messages).
 */
class ConversationTest {

    private static final Path SOURCE = Path.of("src/test/resources/conversations");

    // Kept when a script fails (STYLE.md: keep the temporary folder of a failed test); each run's folder is
    // removed once it passed, and this one at the end when nothing failed.
    @TempDir(cleanup = CleanupMode.NEVER)
    static Path root;

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @BeforeAll
    static void makeCertificate() throws IOException {
        TlsMaterial.loadOrCreate(null, null, root.resolve("tls"), ScriptServer.HOSTNAME);
    }

    @AfterAll
    static void removeFolder() throws IOException {
        if (!FAILED.get()) {
            deleteTree(root);
        }
    }

    @TestFactory
    Stream<DynamicNode> conversations() throws IOException, URISyntaxException {
        Path dir = scriptFolder();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> f.toString().endsWith(".smtp")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no conversation scripts under " + dir);
        }
        return files.stream().flatMap(f -> tests(dir, f));
    }

    private static Stream<DynamicNode> tests(Path dir, Path file) {
        Script script;
        try {
            script = Script.load(dir, file);
        } catch (IOException | RuntimeException e) {
            return Stream.of(DynamicTest.dynamicTest(dir.relativize(file) + " [parse]", file.toUri(), () -> {
                throw e;
            }));
        }
        Stream.Builder<DynamicNode> out = Stream.builder();
        if (!script.loopbackOnly()) {
            out.add(DynamicTest.dynamicTest(script.name() + " [memory]", file.toUri(), () -> run(script, Way.MEMORY)));
        }
        if (!script.memoryOnly()) {
            out.add(DynamicTest.dynamicTest(script.name() + " [loopback]", file.toUri(), () -> run(script, Way.LOOPBACK)));
        }
        return out.build();
    }

    enum Way { MEMORY, LOOPBACK }

    private static void run(Script script, Way way) throws IOException {
        Path data = root.resolve("run-" + RUNS.incrementAndGet());
        ScriptServer server;
        try {
            server = ScriptServer.start(script.setup(), data, root);
        } catch (IOException | RuntimeException e) {
            FAILED.set(true);
            throw e;
        }
        try (server) {
            new Conversation(script, () -> connect(server, script, way), server.petrel()).run();
        } catch (Conversation.ScriptFailure f) {
            FAILED.set(true);
            throw new AssertionError(f.getMessage() + "\n\n" + script.purpose() + "\n--- conversation (" + way
                    + ")\n" + f.transcript() + "\n--- server log\n" + server.log() + "--- data folder kept: " + data, f);
        } catch (IOException | RuntimeException | Error e) {
            FAILED.set(true);
            throw e;
        }
        deleteTree(data);
    }

    private static Transport connect(ScriptServer server, Script script, Way way) throws IOException {
        boolean implicitTls = script.role() == Script.Role.SUBMISSIONS;
        return switch (way) {
            case MEMORY -> new MemoryTransport(server.newSession(script.role()), server.maxLineLength(), implicitTls);
            case LOOPBACK -> new LoopbackTransport(server.address(script.role()), implicitTls);
        };
    }

    private static Path scriptFolder() throws URISyntaxException {
        // the sources when run from the project (so a failure points at the file to edit), else the class path
        if (Files.isDirectory(SOURCE)) {
            return SOURCE.toAbsolutePath();
        }
        return Path.of(ConversationTest.class.getResource("/conversations").toURI());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
