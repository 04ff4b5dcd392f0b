package dev.petrel.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that fills up: segment channels whose writes take the bytes that still fit and then fail with
 * "No space left on device", as write(2) does, and whose fsync can be made to fail. Freeing space lets them
 * write again.
 */
final class FullDisk implements JournalQueueStore.SegmentFiles {

    private final AtomicLong room = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean failFsync = new AtomicBoolean();

    /** From now on, only this many more bytes fit. */
    void leave(long bytes) {
        room.set(bytes);
    }

    /** Space was freed: everything fits again, and fsync works. */
    void free() {
        room.set(Long.MAX_VALUE);
        failFsync.set(false);
    }

    void failFsync() {
        failFsync.set(true);
    }

    @Override
    public FileChannel open(Path path, StandardOpenOption... options) throws IOException {
        return new Channel(FileChannel.open(path, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel disk;

        Channel(FileChannel disk) {
            this.disk = disk;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long fits = room.get();
            if (fits <= 0 && src.hasRemaining()) {
                throw new IOException("No space left on device");
            }
            ByteBuffer part = src.slice(src.position(), (int) Math.min(src.remaining(), fits));
            int n = disk.write(part);
            src.position(src.position() + n);
            room.addAndGet(-n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining()) {
                    if (room.get() <= 0 && total > 0) {
                        return total; // a short write; the next call fails
                    }
                    total += write(srcs[i]);
                }
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failFsync.get()) {
                throw new IOException("Input/output error");
            }
            disk.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return disk.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return disk.read(dsts, offset, length);
        }

        @Override
        public long position() throws IOException {
            return disk.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            disk.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return disk.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            disk.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return disk.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("not used by the journal");
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return disk.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new IOException("not used by the journal");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("not used by the journal");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return disk.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return disk.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            disk.close();
        }
    }
}
