package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command takes. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (default: embedded defaults)")
    Path file;

    Config load() throws IOException {
        return ConfigLoader.load(file);
    }
}
