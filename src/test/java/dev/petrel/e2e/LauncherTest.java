package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bin/petrel's first run, with a stand-in for Maven that makes the noise a real build makes (JDK warnings,
 * ANSI colours, a line per plugin goal) and leaves a jar of the test classpath: the launcher says it is
 * building and shows progress, keeps the noise in target/petrel-build.log, and the program's own output clean.
 */
class LauncherTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String NOISE = """
            printf '\\033[0m\\033[0mWARNING: A terminally deprecated method in sun.misc.Unsafe has been called\\n' >&2
            echo '[INFO] --- resources:3.3.1:resources (default-resources) @ petrel ---'
            echo '[INFO] --- compiler:3.14.0:compile (default-compile) @ petrel ---'
            printf '\\033[1;33m[WARNING]\\033[m some compiler warning\\n'
            echo '[INFO] --- shade:3.6.0:shade (default) @ petrel ---'
            """;

    /** A copy of bin/petrel in its own folder, and a fake mvn on PATH running {@code script}. */
    private record Install(Path root, Path bin) {
        Programs.Result run(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(root.resolve("bin/petrel").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> env = pb.environment();
            env.put("PATH", bin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.remove("PETREL_JAVA_OPTS");
            return Scripts.run(root, pb);
        }
    }

    private static Install install(String name, String mainClass, String mavenScript) throws IOException {
        Path root = scratch.newFolder(name);
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Scripts.worktree().resolve("bin/petrel"), root.resolve("bin/petrel"));
        Path jar = root.resolve("stand-in.jar");
        writeClasspathJar(jar, mainClass);
        Path bin = Files.createDirectories(root.resolve("fakebin"));
        Scripts.executable(bin.resolve("mvn"), "#!/bin/sh\n" + mavenScript.replace("JAR", jar.toString()));
        return new Install(root, bin);
    }

    @Test
    void theFirstRunSaysItBuildsShowsProgressAndKeepsMavensNoiseInTheLog() throws Exception {
        Install i = install("first", "dev.petrel.cli.Main", NOISE + "mkdir -p target && cp JAR target/petrel.jar\n");
        Programs.Result r = i.run("--version");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("petrel 0.1.0\n", r.stdout(), "the program's output alone on standard output");
        assertTrue(r.stderr().startsWith("petrel: building Petrel (first run, about a minute)... resources compile"
                + " shade done ("), r.describe());
        assertFalse(r.stderr().contains("\033") || r.stderr().contains("WARNING"), r.describe());
        String log = Files.readString(i.root().resolve("target/petrel-build.log"));
        assertTrue(log.contains("sun.misc.Unsafe") && log.contains("some compiler warning"), log);

        Programs.Result again = i.run("--version");
        assertEquals("", again.stderr(), "a built jar is used as it is");
    }

    @Test
    void aFailedBuildShowsTheEndOfItsLogAndExitsOne() throws Exception {
        Install i = install("failed", "dev.petrel.cli.Main", NOISE + "echo '[ERROR] COMPILATION ERROR: boom'\nexit 1\n");
        Programs.Result r = i.run("--version");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().contains(" failed\npetrel: the build failed (Maven exit status 1)"), r.describe());
        assertTrue(r.stderr().contains("[ERROR] COMPILATION ERROR: boom"), r.describe());
    }

    @Test
    void theJvmGetsTheFlagsThatSilenceLibraryWarningsWhereTheJdkHasThem() throws Exception {
        Install i = install("flags", JvmArguments.class.getName(), "mkdir -p target && cp JAR target/petrel.jar\n");
        Programs.Result r = i.run();
        assertEquals(0, r.exitCode(), r.describe());
        List<String> flags = r.stdout().lines().toList();
        assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), r.describe());
        assertEquals(Runtime.version().feature() >= 23, flags.contains("--sun-misc-unsafe-memory-access=allow"),
                r.describe());
        assertTrue(flags.contains("-XX:+UseSerialGC"), "the default options: " + flags);
    }

    // a jar that only names the test classpath, as surefire's own is: it runs what the tests run
    private static void writeClasspathJar(Path jar, String mainClass) throws IOException {
        String real = System.getProperty("surefire.test.class.path");
        String path = real != null && !real.isBlank() ? real : System.getProperty("java.class.path");
        List<String> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
    }
}
