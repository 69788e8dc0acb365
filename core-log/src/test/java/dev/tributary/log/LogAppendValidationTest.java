package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.batch;
import static dev.tributary.log.LogTestSupport.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.internal.Varints;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is rejected with a specific exception naming partition, position and value; nothing is written. */
class LogAppendValidationTest {
    @TempDir
    Path tmp;

    Log log;
    final MutableClock clock = new MutableClock(1_000_000L);

    @BeforeEach
    void open() {
        log = Log.open(tmp.resolve("orders-3"), LogConfig.fromMap(Map.of("max.message.bytes", "20000")), clock);
        log.append(batch(Codec.NONE, 3, 10, 1L));
    }

    @AfterEach
    void close() {
        log.close();
    }

    private void assertNothingWritten() {
        assertThat(log.logEndOffset()).isEqualTo(3);
        long size = log.size();
        assertThat(log.segments().get(0).logFile().toFile().length()).isEqualTo(size);
    }

    /** The second batch is good: a rejected first batch must not let it in either, and vice versa. */
    private ByteBuffer withGoodBatchAround(ByteBuffer bad) {
        return concat(batch(Codec.NONE, 2, 10, 5L), bad);
    }

    @Test
    void shouldRejectBatchWithBadCrc() {
        ByteBuffer b = batch(Codec.GZIP, 3, 10, 1L);
        b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 0x10));
        ByteBuffer all = withGoodBatchAround(b);
        int badPos = all.limit() - b.limit();
        assertThatThrownBy(() -> log.append(all)).isInstanceOfSatisfying(CorruptRecordException.class, e -> {
            assertThat(e.source()).isEqualTo("orders-3");
            assertThat(e.position()).isEqualTo(badPos);
            assertThat(e.getMessage()).contains("CRC32C").contains("orders-3").contains(String.valueOf(badPos));
        });
        assertNothingWritten();
    }

    @Test
    void shouldRejectBatchWithWrongMagic() {
        ByteBuffer b = batch(Codec.NONE, 1, 10, 1L);
        b.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertThatThrownBy(() -> log.append(b)).isInstanceOfSatisfying(CorruptRecordException.class, e -> {
            assertThat(e.value()).isEqualTo((byte) 1);
            assertThat(e.getMessage()).contains("magic");
        });
        assertNothingWritten();
    }

    @Test
    void shouldRejectImpossibleLength() {
        ByteBuffer b = batch(Codec.NONE, 1, 10, 1L);
        b.putInt(RecordBatch.LENGTH_OFFSET, 1_000_000);
        assertThatThrownBy(() -> log.append(withGoodBatchAround(b)))
                .isInstanceOfSatisfying(
                        CorruptRecordException.class, e -> assertThat(e.value()).isEqualTo(1_000_000));
        ByteBuffer tiny = batch(Codec.NONE, 1, 10, 1L);
        tiny.putInt(RecordBatch.LENGTH_OFFSET, 3);
        assertThatThrownBy(() -> log.append(tiny)).isInstanceOf(CorruptRecordException.class);
        ByteBuffer torn = batch(Codec.NONE, 1, 10, 1L).limit(30);
        assertThatThrownBy(() -> log.append(torn)).isInstanceOf(CorruptRecordException.class);
        assertNothingWritten();
    }

    @Test
    void shouldRejectRecordCountMismatch() {
        ByteBuffer b = batch(Codec.NONE, 3, 10, 1L);
        b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 4);
        b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 3);
        RecordBatch fw = RecordBatch.of(b);
        b.putInt(RecordBatch.CRC_OFFSET, (int) fw.computeCrc()); // a well-formed CRC over the lie
        assertThatThrownBy(() -> log.append(withGoodBatchAround(b)))
                .isInstanceOfSatisfying(CorruptRecordException.class, e -> {
                    assertThat(e.value()).isEqualTo(4);
                    assertThat(e.getMessage()).contains("recordCount");
                });
        assertNothingWritten();
    }

    @Test
    void shouldRejectCompressedRecordCountMismatch() {
        ByteBuffer b = batch(Codec.ZSTD, 3, 10, 1L);
        b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 2);
        b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 1);
        b.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.of(b).computeCrc());
        assertThatThrownBy(() -> log.append(b))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("recordCount");
        assertNothingWritten();
    }

    @Test
    void shouldRejectGarbageCompressedPayloadWithValidCrc() {
        ByteBuffer b = batch(Codec.LZ4, 3, 100, 1L);
        for (int i = RecordBatch.RECORDS_OFFSET + 8; i < b.limit(); i++) {
            b.put(i, (byte) 0x5a);
        }
        b.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.of(b).computeCrc());
        assertThatThrownBy(() -> log.append(b))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("lz4");
        assertNothingWritten();
    }

    @Test
    void shouldRejectBatchOverMaxMessageBytes() {
        ByteBuffer big = batch(Codec.NONE, 3, 10_000, 1L);
        assertThatThrownBy(() -> log.append(withGoodBatchAround(big)))
                .isInstanceOfSatisfying(RecordTooLargeException.class, e -> {
                    assertThat(e.value()).isEqualTo(big.limit());
                    assertThat(e.getMessage()).contains("max.message.bytes").contains("20000");
                });
        assertNothingWritten();
    }

    @Test
    void shouldRejectCompressionBombWithoutRunningOutOfHeap() {
        // 80 MiB of zeros compress to a few KiB with zstd: small on the wire, far past the 64 MiB decompression cap
        ByteBuffer bomb = RecordBatchBuilder.create(Codec.ZSTD, 1024)
                .append(1L, "k".getBytes(), new byte[80 << 20])
                .build();
        assertThat(bomb.remaining()).isLessThan(20000);
        assertThatThrownBy(() -> log.append(bomb)).isInstanceOfSatisfying(CorruptRecordException.class, e -> {
            assertThat(e.getMessage()).contains("beyond the limit").contains("zstd");
            assertThat(e.source()).isEqualTo("orders-3");
        });
        assertNothingWritten();
    }

    @Test
    void shouldRejectOffsetDeltasOutOfSequence() {
        // a record whose offset delta is 5 where 0 is expected, with a matching CRC
        ByteBuffer b = RecordBatchBuilder.create(Codec.NONE)
                .append(1L, "k".getBytes(), "v".getBytes())
                .build();
        int deltaPos = RecordBatch.RECORDS_OFFSET + 1 + 1 + Varints.sizeOfVarlong(0);
        assertThat(b.get(deltaPos)).isEqualTo((byte) 0);
        b.put(deltaPos, (byte) 10); // zig-zag 5
        b.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.of(b).computeCrc());
        assertThatThrownBy(() -> log.append(b))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class, e -> assertThat(e.value()).isEqualTo(5));
        assertNothingWritten();
    }

    @Test
    void shouldRejectEmptyAppend() {
        assertThatThrownBy(() -> log.append(ByteBuffer.allocate(0))).isInstanceOf(InvalidRecordException.class);
        assertNothingWritten();
    }

    @Test
    void shouldRejectMaxTimestampThatDisagreesWithRecords() {
        ByteBuffer b = batch(Codec.NONE, 3, 10, 100L);
        b.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, 5L);
        b.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.of(b).computeCrc());
        assertThatThrownBy(() -> log.append(b))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("maxTimestamp");
        assertNothingWritten();
    }

    @Test
    void shouldRejectKeylessRecordInCompactedLog() {
        log.updateConfig(log.config().withOverrides(Map.of("cleanup.policy", "compact")));
        ByteBuffer b = RecordBatchBuilder.create(Codec.GZIP)
                .append(1L, "k".getBytes(), "v".getBytes())
                .append(2L, null, "v".getBytes())
                .build();
        assertThatThrownBy(() -> log.append(b))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.getMessage()).contains("requires a key"));
        assertNothingWritten();
    }

    private static ByteBuffer direct(ByteBuffer heap) {
        return ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
    }

    @Test
    void shouldValidateDirectBuffersAsHeapBuffers() {
        // the broker appends from pooled direct request buffers; those take the ByteBuffer walk, not the array one
        ByteBuffer countLie = batch(Codec.NONE, 3, 10, 1L);
        countLie.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 4);
        countLie.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 3);
        countLie.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.of(countLie).computeCrc());
        assertThatThrownBy(() -> log.append(direct(countLie)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("recordCount");
        ByteBuffer badLength = RecordBatchBuilder.create(Codec.NONE)
                .append(1L, "k".getBytes(), "v".getBytes())
                .build();
        badLength.put(RecordBatch.RECORDS_OFFSET + 1 + 1 + 1 + 1, (byte) 40); // key length 20 > what remains
        badLength.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.of(badLength).computeCrc());
        assertThatThrownBy(() -> log.append(direct(badLength)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("key length");
        assertNothingWritten();
        LogAppendInfo info = log.append(direct(concat(batch(Codec.NONE, 2, 10, 1L), batch(Codec.ZSTD, 3, 10, 1L))));
        assertThat(info.firstOffset()).isEqualTo(3);
        assertThat(info.lastOffset()).isEqualTo(7);
        assertThat(log.batches(3).next().records()).hasSize(2);
    }

    @Test
    void shouldAcceptGoodAppendAfterRejections() {
        ByteBuffer bad = batch(Codec.NONE, 1, 10, 1L);
        bad.put(RecordBatch.MAGIC_OFFSET, (byte) 0);
        assertThatThrownBy(() -> log.append(bad)).isInstanceOf(CorruptRecordException.class);
        LogAppendInfo info = log.append(batch(Codec.SNAPPY, 4, 10, 1L));
        assertThat(info.firstOffset()).isEqualTo(3);
        assertThat(info.lastOffset()).isEqualTo(6);
    }
}
