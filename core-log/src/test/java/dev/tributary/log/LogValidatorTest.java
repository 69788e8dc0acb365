package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.batch;
import static dev.tributary.log.LogTestSupport.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two passes of an append on buffers alone: no log, no file. */
class LogValidatorTest {
    final LogValidator validator = new LogValidator("orders-3");

    @Test
    void shouldCountRecordsAndBatchesOfAValidAppend() {
        ByteBuffer batches = concat(batch(Codec.NONE, 3, 10, 100L), batch(Codec.ZSTD, 4, 10, 200L));
        validator.validate(batches, LogConfig.fromMap(Map.of()));
        assertThat(validator.records()).isEqualTo(7);
        assertThat(validator.batchCount()).isEqualTo(2);
        assertThat(batches.position()).as("the buffer is left as it came").isZero();
    }

    @Test
    void shouldAssignContiguousOffsetsInPlaceAndReportTheLargestTimestamp() {
        ByteBuffer batches = concat(batch(Codec.NONE, 3, 10, 500L), batch(Codec.LZ4, 2, 10, 100L));
        validator.validate(batches, LogConfig.fromMap(Map.of()));
        validator.assignOffsets(batches, 40, false, 9_999L);
        RecordBatch first = RecordBatch.of(batches);
        RecordBatch second = new RecordBatch().wrap(batches, first.sizeInBytes());
        assertThat(first.baseOffset()).isEqualTo(40);
        assertThat(second.baseOffset()).isEqualTo(43);
        assertThat(validator.nextOffset()).isEqualTo(45);
        assertThat(validator.maxTimestamp()).isEqualTo(502L);
        assertThat(validator.offsetOfMaxTimestamp()).isEqualTo(42);
        assertThat(first.isValid()).as("base offset is outside the CRC").isTrue();
    }

    @Test
    void shouldStampLogAppendTimeAndKeepTheCrcValid() {
        ByteBuffer batches = batch(Codec.GZIP, 3, 10, 500L);
        validator.validate(batches, LogConfig.fromMap(Map.of()));
        validator.assignOffsets(batches, 0, true, 9_999L);
        RecordBatch b = RecordBatch.of(batches);
        assertThat(b.maxTimestamp()).isEqualTo(9_999L);
        assertThat(b.timestampType()).isEqualTo(LogConfig.TimestampType.LOG_APPEND_TIME);
        assertThat(b.isValid()).isTrue();
        assertThat(validator.maxTimestamp()).isEqualTo(9_999L);
    }

    @Test
    void shouldRejectABatchOverMaxMessageBytesNamingPartitionAndPosition() {
        ByteBuffer small = batch(Codec.NONE, 1, 10, 1L);
        ByteBuffer batches = concat(small, batch(Codec.NONE, 5, 2_000, 1L));
        assertThatThrownBy(() -> validator.validate(batches, LogConfig.fromMap(Map.of("max.message.bytes", "5000"))))
                .isInstanceOfSatisfying(RecordTooLargeException.class, e -> {
                    assertThat(e.source()).isEqualTo("orders-3");
                    assertThat(e.position()).isEqualTo(small.remaining());
                });
    }

    @Test
    void shouldRejectARecordWithoutAKeyInACompactedLog() {
        ByteBuffer noKey = dev.tributary.log.record.RecordBatchBuilder.create(Codec.NONE)
                .append(1L, null, new byte[] {1})
                .build();
        assertThatThrownBy(() -> validator.validate(noKey, LogConfig.fromMap(Map.of("cleanup.policy", "compact"))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("requires a key");
        validator.validate(noKey.rewind(), LogConfig.fromMap(Map.of()));
        assertThat(validator.records()).isEqualTo(1);
    }

    @Test
    void shouldRejectAnEmptyAppend() {
        assertThatThrownBy(() -> validator.validate(ByteBuffer.allocate(0), LogConfig.fromMap(Map.of())))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("empty append");
    }
}
