package dev.petrel.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * What makes the tests' Petrel JVMs start sooner: jars of the folders of classes, and one archive of the classes
 * a command loads (class data sharing, as {@code bin/petrel} makes beside its jar), made once per test JVM by a
 * command run for that purpose. Several hundred commands and servers start in a full run; each maps the
 * archive instead of loading and verifying the same library classes again.
 */
final class ClassArchive {

    /** Without these the JVM would say, on standard output, why it could not use an archive. */
    private static final String QUIET = "-Xlog:cds=off,cds+dynamic=off";

    private ClassArchive() {}

    /** A jar, in {@code into}, of the files of a folder of classes and resources. */
    static Path jarOf(Path classes, Path into) throws IOException {
        Path jar = Files.createTempFile(into, classes.getFileName().toString() + "-", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             var files = Files.walk(classes)) {
            // folders too: resources are found by their folder (Flyway looks up db/migration/sqlite so)
            for (Path f : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                boolean folder = Files.isDirectory(f);
                zip.putNextEntry(new JarEntry(folder ? name + "/" : name));
                if (!folder) {
                    Files.copy(f, zip);
                }
                zip.closeEntry();
            }
        }
        return jar;
    }

    /**
     * The JVM options that use an archive made by running {@code tenant list} on an empty data folder with the
     * given classpath; none when the JVM could not make one (the commands then start as they always did).
     */
    static List<String> make(String java, String classpath, List<String> jvmOptions) {
        try {
            Path dir = Files.createTempDirectory("petrel-e2e-cds-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Programs.deleteQuietly(dir)));
            Path config = dir.resolve("petrel.toml");
            Files.writeString(config, "data_dir = \"" + dir.resolve("data") + "\"\n");
            Path archive = dir.resolve("classes.jsa");
            Path partial = dir.resolve("classes.jsa.partial");
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, QUIET, "-cp", classpath,
                    "dev.petrel.cli.Main", "tenant", "list", "--config", config.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("output").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                Programs.stop(p);
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                System.err.println("no class archive for the tests' JVMs: see " + dir.resolve("output"));
                return List.of();
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            return List.of("-XX:SharedArchiveFile=" + archive, QUIET);
        } catch (IOException e) {
            System.err.println("no class archive for the tests' JVMs: " + e);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
