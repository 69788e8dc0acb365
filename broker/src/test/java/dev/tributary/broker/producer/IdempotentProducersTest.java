package dev.tributary.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.append.AppendDecision;
import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The produce-path validator on real v2 batches, with an in-memory stand-in for the partition's log. */
class IdempotentProducersTest {

    @TempDir
    Path dir;

    private final PartitionId partition = new PartitionId("t", 0);
    private final List<ByteBuffer> log = new ArrayList<>();
    private long logEnd;

    private final IdempotentProducers producers = new IdempotentProducers(id -> new IdempotentProducers.PartitionLog() {
        @Override
        public Path dir() {
            return dir;
        }

        @Override
        public long logStartOffset() {
            return 0;
        }

        @Override
        public long logEndOffset() {
            return logEnd;
        }

        @Override
        public Iterator<RecordBatch> batches(long fromOffset) {
            return log.stream()
                    .map(RecordBatch::of)
                    .filter(b -> b.lastOffset() >= fromOffset)
                    .iterator();
        }
    });

    private static ByteBuffer batch(long pid, int seq, int records) {
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE).producer(pid, (short) 0, seq);
        for (int i = 0; i < records; i++) {
            b.append(1_000, null, new byte[] {(byte) i});
        }
        return b.build();
    }

    private static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    /** Does what Partition.append does: check, "write" with offsets assigned, record. */
    private AppendResult append(ByteBuffer batches) {
        AppendDecision d = producers.beforeAppend(partition, batches.asReadOnlyBuffer(), logEnd);
        if (d.isDuplicate()) {
            return d.duplicateOf();
        }
        long first = logEnd;
        int pos = 0;
        while (pos < batches.limit()) {
            RecordBatch b = new RecordBatch().wrap(batches, pos);
            ByteBuffer copy = ByteBuffer.allocate(b.sizeInBytes());
            copy.put(batches.duplicate().position(pos).limit(pos + b.sizeInBytes()))
                    .flip();
            RecordBatch.of(copy).setBaseOffset(logEnd);
            log.add(copy);
            logEnd += b.lastOffsetDelta() + 1;
            pos += b.sizeInBytes();
        }
        AppendResult result = new AppendResult(first, logEnd - 1, -1, 0);
        producers.afterAppend(partition, batches.asReadOnlyBuffer(), result);
        return result;
    }

    @Test
    void shouldRecordEachBatchOfMultiBatchRequestAtItsOwnOffsets() {
        append(batch(1, 0, 2));
        append(concat(batch(1, 2, 3), batch(1, 5, 4)));

        assertThat(producers.state(partition).entry(1).batches())
                .extracting(BatchMetadata::firstOffset, BatchMetadata::lastOffset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(2L, 4L),
                        org.assertj.core.groups.Tuple.tuple(5L, 8L));
        assertThat(append(batch(1, 5, 4)).firstOffset())
                .as("retry of the second batch of the request")
                .isEqualTo(5);
        assertThat(logEnd).isEqualTo(9);
    }

    @Test
    void shouldRejectGapWithOutOfOrderSequenceException() {
        append(batch(1, 0, 2));

        assertThatThrownBy(() -> append(batch(1, 3, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessageContaining("t-0")
                .hasMessageContaining("sequence 3")
                .hasMessageContaining("2 was expected");
        assertThat(logEnd).isEqualTo(2);
    }

    @Test
    void shouldRebuildStateFromLogWhenFirstIdempotentBatchArrivesAfterPlainWrites() {
        // batches written while no state was loaded (e.g. before a restart) are found by replaying the log
        log.add(batch(4, 0, 3));
        logEnd = 3;
        RecordBatch.of(log.get(0)).setBaseOffset(0);

        assertThat(append(batch(4, 0, 3)).firstOffset())
                .as("duplicate found through the replayed log")
                .isZero();
        assertThat(append(batch(4, 3, 1)).firstOffset()).isEqualTo(3);
    }

    @Test
    void shouldLetPlainBatchesThroughWithoutLoadingState() {
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE).append(1, null, new byte[] {1});
        append(b.build());

        assertThat(producers.state(partition)).isNull();
    }
}
