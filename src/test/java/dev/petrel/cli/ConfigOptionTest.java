package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which configuration file a command reads: --config, else the packaged file when there is one, else none. */
class ConfigOptionTest {

    @TempDir
    Path dir;

    @Test
    void theGivenFileWinsOverThePackagedOne() throws IOException {
        Path packaged = Files.writeString(dir.resolve("packaged.toml"), "");
        Path given = dir.resolve("mine.toml");
        assertEquals(given, ConfigOption.chosen(given, packaged));
    }

    @Test
    void withoutConfigThePackagedFileIsReadWhenItExists() throws IOException {
        Path packaged = Files.writeString(dir.resolve("packaged.toml"), "");
        assertEquals(packaged, ConfigOption.chosen(null, packaged));
    }

    @Test
    void withoutConfigOrPackagedFileTheEmbeddedDefaultsApply() throws IOException {
        assertNull(ConfigOption.chosen(null, dir.resolve("absent.toml")));
        // a folder where the file should be is not a configuration file
        assertNull(ConfigOption.chosen(null, Files.createDirectory(dir.resolve("petrel.toml"))));
    }

    @Test
    void thePackagedPathIsTheOneTheUnitFileNames() throws IOException {
        assertEquals(Path.of("/etc/petrel/petrel.toml"), ConfigOption.PACKAGED);
        String unit = Files.readString(Path.of("dist/petrel.service"));
        assertEquals(1, unit.lines().filter(l -> l.equals("ExecStart=/opt/petrel/bin/petrel serve --config "
                + ConfigOption.PACKAGED)).count(), unit);
    }
}
