package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every command takes. Without it, the packaged path
 * {@code /etc/petrel/petrel.toml} when that file exists (as dist/petrel.service and a package install it), else
 * the embedded defaults.
 */
final class ConfigOption {

    /** Where a packaged install keeps its configuration. */
    static final Path PACKAGED = Path.of("/etc/petrel/petrel.toml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: /etc/petrel/petrel.toml if it exists, else the embedded defaults)")
    Path file;

    /** The file the configuration is read from: null for the embedded defaults. */
    Path file() {
        return chosen(file, PACKAGED);
    }

    static Path chosen(Path given, Path packaged) {
        if (given != null) {
            return given;
        }
        return Files.isRegularFile(packaged) ? packaged : null;
    }

    Config load() throws IOException {
        return ConfigLoader.load(file());
    }
}
