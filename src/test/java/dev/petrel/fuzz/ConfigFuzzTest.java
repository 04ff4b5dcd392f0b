package dev.petrel.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.ConfigPrinter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Jazzer fuzz test of the TOML configuration ({@code petrel.toml}), which an operator writes and a typo must not
 * crash: {@code bin/test} runs it on its seed inputs (src/test/resources/dev/petrel/fuzz/ConfigFuzzTestInputs/);
 * {@code bench/fuzz configFilesLoadOrAreRefusedWithAConfigException SECONDS} fuzzes it. Correct means: a
 * {@link Config} or a {@link ConfigException} saying what is wrong, never another exception; and what loads
 * prints (as {@code petrel check-config} does) as TOML that loads to the same configuration.
 */
class ConfigFuzzTest {

    private static final Path BASE = Path.of("/etc/petrel");

    @FuzzTest(maxDuration = "120s")
    void configFilesLoadOrAreRefusedWithAConfigException(byte[] input) {
        Config config;
        try {
            config = ConfigLoader.parse(new String(input, StandardCharsets.UTF_8), BASE);
        } catch (ConfigException refused) {
            if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                throw new AssertionError("a ConfigException that says nothing");
            }
            return;
        }
        String printed = ConfigPrinter.print(config);
        Config again;
        try {
            again = ConfigLoader.parse(printed, BASE);
        } catch (ConfigException e) {
            throw new AssertionError("the printed configuration does not load: " + e.getMessage() + "\n" + printed, e);
        }
        if (!again.equals(config)) {
            throw new AssertionError("printing and loading changed the configuration:\n" + config + "\n" + again);
        }
    }
}
