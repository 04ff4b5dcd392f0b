package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the repository's shell scripts (bin/petrel, bin/test) from copies, with stand-ins on PATH. */
final class Scripts {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private Scripts() {}

    /** The working copy the tests run in (Maven runs them from its base folder). */
    static Path worktree() {
        Path here = Path.of("").toAbsolutePath();
        assertTrue(Files.isRegularFile(here.resolve("bin/petrel")), "no bin/petrel under " + here);
        return here;
    }

    /** Writes an executable script. */
    static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code pb} with its output in numbered files of {@code dir}, for at most two minutes. */
    static Programs.Result run(Path dir, ProcessBuilder pb) throws IOException, InterruptedException {
        int n = RUNS.incrementAndGet();
        Path out = dir.resolve("script-" + n + ".out");
        Path err = dir.resolve("script-" + n + ".err");
        Process p = pb.directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(pb.command() + " did not finish within 2 minutes; see " + out + " and " + err);
        }
        return new Programs.Result(String.join(" ", pb.command()), p.exitValue(), Programs.read(out),
                Programs.read(err), out);
    }
}
