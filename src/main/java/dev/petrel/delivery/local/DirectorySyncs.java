package dev.petrel.delivery.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes renames into a directory durable with as few fsyncs as it can: a caller waits until an fsync of the
 * directory that began after its rename has ended. While one fsync runs, every caller that arrives waits for the
 * next, which then covers them all, the way the queue's group commit serves many sessions with one fsync.
 */
final class DirectorySyncs {

    private final ConcurrentHashMap<Path, Directory> directories = new ConcurrentHashMap<>();

    /** Returns once everything renamed into {@code dir} before this call is on disk. */
    void sync(Path dir) throws IOException {
        directories.computeIfAbsent(dir, Directory::new).sync();
    }

    private static final class Directory {
        private final Path path;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition done = lock.newCondition();
        private long requested;
        private long completed;
        private boolean syncing;
        private IOException failure;
        private long failedUpTo;

        Directory(Path path) {
            this.path = path;
        }

        void sync() throws IOException {
            lock.lock();
            try {
                long ticket = ++requested;
                while (completed < ticket) {
                    if (failedUpTo >= ticket) {
                        throw failure;
                    }
                    if (syncing) {
                        done.awaitUninterruptibly();
                        continue;
                    }
                    leadOne();
                }
            } finally {
                lock.unlock();
            }
        }

        // this caller does the fsync for every ticket given so far; the lock is not held while it runs
        private void leadOne() {
            syncing = true;
            long upTo = requested;
            lock.unlock();
            IOException error = null;
            try (FileChannel d = FileChannel.open(path, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                error = e;
            } finally {
                lock.lock();
            }
            syncing = false;
            if (error == null) {
                completed = upTo;
            } else {
                failure = error;
                failedUpTo = upTo;
            }
            done.signalAll();
        }
    }
}
