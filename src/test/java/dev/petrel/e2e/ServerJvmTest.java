package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JVM a real {@code petrel serve} runs in, as {@code Main} sets it up, asked through the JDK's jcmd. */
class ServerJvmTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern PARALLELISM =
            Pattern.compile("^jdk\\.virtualThreadScheduler\\.parallelism=(\\d+)$", Pattern.MULTILINE);

    @Test
    void virtualThreadsRunOnAllCoresButOne() throws Exception {
        Path dir = scratch.newFolder("home");
        PetrelHome home = PetrelHome.create(dir);
        try (ServerProcess server = home.start()) {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Programs.Result r = Programs.run(dir, "jcmd", List.of(jcmd, Long.toString(server.pid()),
                    "VM.system_properties"), null, Programs.CLIENT_TIMEOUT);
            assertEquals(0, r.exitCode(), r.describe());
            Matcher m = PARALLELISM.matcher(r.stdout());
            assertTrue(m.find(), r.describe());
            int cores = Runtime.getRuntime().availableProcessors();
            assertEquals(Math.max(1, cores - 1), Integer.parseInt(m.group(1)), "on " + cores + " cores");
        }
    }
}
