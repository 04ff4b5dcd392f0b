package dev.petrel.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One test class's folder of files (configurations, data folders, program output). Deleted when every test
 * of the class passed; kept, with its path printed, when one failed, so the servers' logs and queues can be
 * read afterwards. Register it as a static field: the class's {@code @AfterAll} methods, which stop the
 * servers, run before it deletes anything.
 */
final class Scratch implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final AtomicInteger folders = new AtomicInteger();
    private volatile Path root;
    private volatile boolean failed;

    /** A new empty folder inside this class's folder. */
    Path newFolder(String name) {
        try {
            return Files.createDirectory(root.resolve(name + "-" + folders.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("petrel-e2e-" + context.getRequiredTestClass().getSimpleName() + "-");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
        System.err.println("e2e: " + context.getDisplayName() + " failed; its files are kept in " + root);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (failed || context.getExecutionException().isPresent()) {
            System.err.println("e2e: keeping " + root + " for the failure of " + context.getDisplayName());
            return;
        }
        deleteTree(root);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        // a skipped test leaves nothing worth keeping
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        // nothing ran
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
