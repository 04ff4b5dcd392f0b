package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs programs (swaks, curl, python3, and Petrel's own command line as a separate JVM) with a bounded wait.
 * Their standard input, output and error are files in a folder, numbered in the order of the runs, so a kept
 * folder shows what each program said.
 */
final class Programs {

    /** How long a client program may take; generous because CI machines are slow and shared. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    // a short-lived command-line JVM starts faster with the C1 compiler only and the serial collector
    private static final List<String> CLI_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-Xmx256m");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static String classpath;
    private static List<String> archive = List.of();

    private Programs() {}

    /** What a program did. */
    record Result(String label, int exitCode, String stdout, String stderr, Path stdoutFile) {

        String output() {
            return stdout + stderr;
        }

        /** For assertion messages: everything needed to see why. */
        String describe() {
            return label + " exited with " + exitCode + " (files: " + stdoutFile.getParent() + ")\n--- stdout\n"
                    + stdout + "--- stderr\n" + stderr;
        }
    }

    static Result run(Path dir, String label, List<String> command, byte[] input, Duration timeout)
            throws IOException, InterruptedException {
        String name = String.format("run-%03d-%s", RUNS.incrementAndGet(), label.replaceAll("[^A-Za-z0-9]+", "-"));
        Path in = dir.resolve(name + ".in");
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Files.write(in, input == null ? new byte[0] : input);
        Files.writeString(dir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(label + " did not finish within " + timeout + "; see " + out + " and " + err);
            }
        } finally {
            stop(process);
        }
        return new Result(label, process.exitValue(), read(out), read(err), out);
    }

    /** Kills a process that still runs and waits, boundedly, for it to be gone. */
    static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("process " + process.pid() + " survived SIGKILL for 30 s");
            }
        }
    }

    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** A command line that runs Petrel's {@code Main} from the classes the tests run with, not from a jar. */
    static List<String> petrel(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        // as the jar's manifest allows it: SQLite's JDBC driver loads its native library (JDK 22+ warns otherwise)
        command.add("--enable-native-access=ALL-UNNAMED");
        String path = classpath();
        command.addAll(archive);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(path);
        command.add("dev.petrel.cli.Main");
        command.addAll(args);
        return command;
    }

    static List<String> petrelCli(List<String> args) {
        return petrel(CLI_JVM_OPTIONS, args);
    }

    /** The java binary of this JVM, so Petrel runs on the JDK the tests run on. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The test classpath, with its folders of classes (Petrel's and the tests') replaced by jars made once per
     * test JVM: the servers of these tests start and restart for a minute, and a build running alongside (an IDE,
     * another {@code mvn}) may rewrite target/classes meanwhile; the processes must run the code under test. Jars
     * also let the JVMs share one archive of loaded classes (class data sharing), which a folder forbids.
     */
    private static synchronized String classpath() {
        if (classpath == null) {
            classpath = frozenClasspath();
            archive = ClassArchive.make(javaBinary(), classpath, CLI_JVM_OPTIONS);
        }
        return classpath;
    }

    private static String frozenClasspath() {
        // surefire may put a manifest-only jar on java.class.path; the real list is in this property
        String real = System.getProperty("surefire.test.class.path");
        String path = real != null && !real.isBlank() ? real : System.getProperty("java.class.path");
        try {
            Path frozen = Files.createTempDirectory("petrel-e2e-classes-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(frozen)));
            List<String> entries = new ArrayList<>();
            for (String entry : path.split(File.pathSeparator)) {
                Path p = Path.of(entry).toAbsolutePath();
                entries.add(Files.isDirectory(p) ? ClassArchive.jarOf(p, frozen).toString() : entry);
            }
            String main = dev.petrel.cli.Main.class.getName().replace('.', '/') + ".class";
            if (entries.stream().noneMatch(e -> hasEntry(e, main))) {
                fail("none of the classpath's folders or jars has " + main + ": is a build running? " + path);
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean hasEntry(String jar, String name) {
        try (var zip = new java.util.zip.ZipFile(jar)) {
            return zip.getEntry(name) != null;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }

    /** The path of a program on PATH; the test fails, saying what to install, when it is missing. */
    static String require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(program + " is not installed; the end-to-end tests need it (apt-get install " + debianPackage + ")");
    }

    /** A test resource under src/test/resources/e2e as a file. */
    static Path resource(String name) {
        var url = Programs.class.getResource("/e2e/" + name);
        if (url == null) {
            return fail("missing test resource e2e/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            return fail("bad resource URL " + url);
        }
    }
}
