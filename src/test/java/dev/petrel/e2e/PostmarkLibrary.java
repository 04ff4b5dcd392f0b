package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Postmark's official Node.js client library (npm package {@code postmark}, the version src/test/resources/postmark's
 * lock file pins), installed once with {@code npm ci} into target/postmark-js beside the scripts that drive it. When
 * npm or the registry is missing, the test that needs the library fails saying so; it is never skipped.
 */
final class PostmarkLibrary {

    static final String VERSION = "5.1.0";
    private static final Path SOURCES = Path.of("src/test/resources/postmark");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "send.js");

    private final Path dir;

    private PostmarkLibrary(Path dir) {
        this.dir = dir;
    }

    /** The library's folder, installed when it is not there yet (the first run needs the npm registry). */
    static synchronized PostmarkLibrary install() throws Exception {
        Path dir = Path.of("target/postmark-js").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!installedVersion(dir).equals(VERSION)) {
            String npm = Programs.require("npm", "nodejs");
            Programs.Result r = Programs.run(dir, "npm-ci", List.of(npm, "ci", "--no-audit", "--no-fund",
                    "--loglevel=error"), null, java.time.Duration.ofMinutes(5));
            assertEquals(0, r.exitCode(), "npm could not install Postmark's library (the npm registry must be"
                    + " reachable the first time):\n" + r.describe());
            assertEquals(VERSION, installedVersion(dir), "npm ci installed another version of postmark");
        }
        return new PostmarkLibrary(dir);
    }

    private static String installedVersion(Path dir) throws IOException {
        Path manifest = dir.resolve("node_modules/postmark/package.json");
        return Files.isRegularFile(manifest) ? SendApiHome.JSON.readTree(manifest.toFile()).path("version").asText()
                : "";
    }

    /** A script beside the library (so that require("postmark") finds it). */
    Path script(String name) {
        return dir.resolve(name);
    }

    /** src/test/resources/postmark/send.js with {@code plan} on its standard input: what each call gave. */
    JsonNode send(Path workDir, JsonNode plan) throws Exception {
        Programs.Result r = Programs.run(workDir, "postmark-send", List.of(node(), script("send.js").toString()),
                SendApiHome.JSON.writeValueAsBytes(plan), Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        JsonNode out = SendApiHome.JSON.readTree(r.stdout());
        assertTrue(out.isObject(), r.describe());
        return out;
    }

    static String node() {
        return Programs.require("node", "nodejs");
    }
}
