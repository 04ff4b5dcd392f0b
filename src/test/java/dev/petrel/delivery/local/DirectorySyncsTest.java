package dev.petrel.delivery.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncsTest {

    @TempDir
    Path dir;

    @Test
    void manyConcurrentCallersAllReturnOnceTheirDirectoryIsSynced() throws Exception {
        DirectorySyncs syncs = new DirectorySyncs();
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Path target = dir.resolve(i % 2 == 0 ? "a" : "b");
                int n = i;
                calls.add(pool.submit(() -> {
                    Files.writeString(target.resolve("f" + n), "x");
                    syncs.sync(target);
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        try (var files = Files.list(dir.resolve("a"))) {
            assertEquals(100, files.count());
        }
    }

    @Test
    void aDirectoryThatCannotBeSyncedFailsItsCallersAndTheNextCallTriesAgain() throws IOException {
        DirectorySyncs syncs = new DirectorySyncs();
        Path missing = dir.resolve("missing");
        assertThrows(IOException.class, () -> syncs.sync(missing));
        Files.createDirectories(missing);
        syncs.sync(missing);
    }
}
