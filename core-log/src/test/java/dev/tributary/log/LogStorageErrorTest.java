package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full file system during appends, for real: each test mounts a 4 MiB tmpfs (we run as root, CI too) and
 * fills it. Skipped, with the reason, where mounting is not allowed.
 */
class LogStorageErrorTest {
    private static final int FS_BYTES = 4 << 20;

    @TempDir
    Path tmp;

    Path mnt;
    final MutableClock clock = new MutableClock(1_000_000L);

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        String result;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + FS_BYTES, "tmpfs", mnt.toString())
                    .redirectErrorStream(true)
                    .start();
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes()).trim();
            result = done && p.exitValue() == 0 ? null : "mount -t tmpfs failed: " + out;
        } catch (IOException e) {
            result = "cannot run mount: " + e.getMessage();
        }
        if (result != null) {
            mnt = null;
        }
        String reason = result;
        Assumptions.assumeTrue(reason == null, () -> "needs a small tmpfs (root): " + reason);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mnt != null) {
            new ProcessBuilder("umount", "-l", mnt.toString())
                    .inheritIO()
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Log open(Path dir, boolean clean) {
        return open(dir, clean, SMALL_SEGMENTS);
    }

    private Log open(Path dir, boolean clean, int segmentBytes) {
        return Log.open(
                dir,
                LogConfig.fromMap(Map.of(
                        "segment.bytes",
                        String.valueOf(segmentBytes),
                        "segment.index.bytes",
                        "65536",
                        "index.interval.bytes",
                        "4096")),
                clock,
                clean);
    }

    /** Rolls every ~9 appends, so the file system may also fill up while a segment is created. */
    private static final int SMALL_SEGMENTS = 600_000;
    /** Never rolls here: the indexes were reserved by the first append, so the disk fills up in a log write. */
    private static final int ONE_SEGMENT = 64 << 20;

    @Test
    void shouldRollBackATornAppendAndAcceptAppendsAgainOnceSpaceIsFreed() throws Exception {
        fillUpThenFreeSpace(ONE_SEGMENT);
    }

    @Test
    void shouldLeaveNoPartSegmentWhenTheDiskFillsUpAcrossRollsAndAcceptAppendsOnceSpaceIsFreed() throws Exception {
        fillUpThenFreeSpace(SMALL_SEGMENTS);
    }

    private void fillUpThenFreeSpace(int segmentBytes) throws Exception {
        Path ballast = mnt.resolve("ballast");
        Files.write(ballast, new byte[1 << 20]);
        Path dir = mnt.resolve("orders-3");
        long acknowledged;
        LogStorageException failure = null;
        try (Log log = open(dir, false, segmentBytes)) {
            int n = 0;
            while (failure == null) {
                if (n++ > 10_000) {
                    throw new AssertionError("a 4 MiB file system never filled up");
                }
                long before = log.logEndOffset();
                // 7 records of ~9.4 KiB: the write of a ~66 KiB batch fails part way through when space runs out
                ByteBuffer b = batch(Codec.NONE, 7, 9_400, clock.millis());
                failure = catchThrowableOfType(() -> log.append(b), LogStorageException.class);
                if (failure != null) {
                    assertThat(log.logEndOffset())
                            .as("log end offset after the failed append")
                            .isEqualTo(before);
                }
            }
            acknowledged = log.logEndOffset();
            assertThat(acknowledged).isPositive();
            assertThat(failure.source()).isEqualTo("orders-3");
            assertThat(failure.operation()).isEqualTo("append");
            assertThat(failure.getMessage())
                    .contains("orders-3")
                    .contains("append")
                    .doesNotContain(mnt.toString());
            assertThat(failure.getCause()).isInstanceOf(IOException.class);

            // no torn batch on disk: every segment file holds whole, valid batches only
            assertWholeValidBatches(dir, acknowledged);
            // everything acknowledged is still readable
            assertReadable(log, acknowledged);
            // still full: fails again, the same way, and leaves nothing behind
            assertThatThrownBy(() -> log.append(batch(Codec.NONE, 7, 9_400, clock.millis())))
                    .isInstanceOf(LogStorageException.class);
            assertThat(log.logEndOffset()).isEqualTo(acknowledged);
            assertWholeValidBatches(dir, acknowledged);

            Files.delete(ballast); // space is freed
            LogAppendInfo info = log.append(batch(Codec.NONE, 7, 9_400, clock.millis()));
            assertThat(info.firstOffset()).isEqualTo(acknowledged);
            acknowledged = log.logEndOffset();
            assertThat(acknowledged).isEqualTo(info.lastOffset() + 1);
            assertReadable(log, acknowledged);
        }
        assertWholeValidBatches(dir, acknowledged);
        // an unclean open re-validates from the recovery point: nothing to truncate, nothing lost
        try (Log reopened = open(dir, false, segmentBytes)) {
            assertThat(reopened.logEndOffset()).isEqualTo(acknowledged);
            assertReadable(reopened, acknowledged);
        }
        try (Log reopened = open(dir, true, segmentBytes)) {
            assertThat(reopened.logEndOffset()).isEqualTo(acknowledged);
        }
    }

    @Test
    void shouldRemoveTemporaryFilesOfCheckpointWritesThatFailedWhenTheLogIsLoaded() throws Exception {
        Path dir = mnt.resolve("orders-3");
        Path filler = mnt.resolve("filler");
        Log log = open(dir, false);
        log.append(batch(Codec.NONE, 3, 100, clock.millis()));
        fill(filler);
        // the flush forces the segment, then writes log-state.checkpoint through a .tmp file: no space for it
        LogStorageException failure = catchThrowableOfType(log::flush, LogStorageException.class);
        assertThat(failure).isNotNull();
        assertThat(failure.operation()).isEqualTo("flush");
        assertThat(failure.getMessage()).contains("orders-3").doesNotContain(mnt.toString());
        assertThat(tmpFiles(dir))
                .as("a failed write removes its temporary file")
                .isEmpty();
        assertThatThrownBy(log::close).isInstanceOf(LogStorageException.class); // closes the files all the same
        Files.delete(filler);
        // what a crash in the middle of such writes leaves behind
        Files.write(dir.resolve(LogStateCheckpoint.FILE_NAME + ".tmp"), new byte[] {'0', '\n'});
        Files.write(dir.resolve(SegmentFiles.filenamePrefix(0) + ".snapshot.tmp"), new byte[0]);
        assertThat(tmpFiles(dir)).hasSize(2);

        try (Log reopened = open(dir, false)) {
            assertThat(reopened.logEndOffset()).isEqualTo(3);
            assertThat(tmpFiles(dir)).as("temporary files after the load").isEmpty();
        }
    }

    private static List<String> tmpFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".tmp"))
                    .toList();
        }
    }

    /** Fills the file system: a file grown until the next write fails. */
    private static void fill(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(
                file, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(4096);
            while (true) {
                chunk.clear();
                try {
                    ch.write(chunk);
                } catch (IOException full) {
                    return;
                }
            }
        }
    }

    private static void assertReadable(Log log, long logEndOffset) {
        long next = 0;
        for (Iterator<RecordBatch> it = log.batches(0); it.hasNext(); ) {
            RecordBatch b = it.next(); // CRC-checked
            assertThat(b.baseOffset()).isEqualTo(next);
            next = b.nextOffset();
        }
        assertThat(next).as("offsets readable").isEqualTo(logEndOffset);
        long offset = 0;
        while (offset < logEndOffset) {
            FileRegion r = log.read(offset, 1 << 20);
            assertThat(r.length()).isPositive();
            offset = r.firstOffset() + 1;
            try {
                for (RecordBatch b : LogTestSupport.batchesIn(LogTestSupport.readRegion(r))) {
                    assertThat(b.isValid()).isTrue();
                    offset = b.nextOffset();
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Walks every {@code .log} file byte by byte: whole valid batches, contiguous offsets, up to the end. */
    private static void assertWholeValidBatches(Path dir, long logEndOffset) throws IOException {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(SegmentFiles.LOG_SUFFIX))
                    .sorted()
                    .forEach(logs::add);
        }
        long next = 0;
        for (Path f : logs) {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(f));
            int p = 0;
            while (p < bytes.limit()) {
                RecordBatch b = new RecordBatch().wrap(bytes, p);
                assertThat(bytes.limit() - p)
                        .as("%s: a whole header at %d", f.getFileName(), p)
                        .isGreaterThanOrEqualTo(RecordBatch.HEADER_SIZE);
                assertThat(b.isValid())
                        .as("%s: batch at byte %d whole and valid", f.getFileName(), p)
                        .isTrue();
                assertThat(b.baseOffset())
                        .as("%s: offsets contiguous", f.getFileName())
                        .isEqualTo(next);
                next = b.nextOffset();
                p += b.sizeInBytes();
            }
        }
        assertThat(next).as("last offset on disk").isEqualTo(logEndOffset);
    }
}
