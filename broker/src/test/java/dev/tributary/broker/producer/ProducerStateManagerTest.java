package dev.tributary.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerStateManagerTest {

    private final ProducerStateManager state = new ProducerStateManager("t-0");

    private static ProducerBatch batch(long pid, int epoch, int seq, int count) {
        return new ProducerBatch(pid, (short) epoch, seq, count, 1000L);
    }

    /** Appends as the log would at the given offset and returns the batch's first offset. */
    private long append(ProducerBatch b, long firstOffset) {
        assertThat(state.check(b)).isInstanceOf(SequenceCheck.Append.class);
        state.onAppend(b, firstOffset, firstOffset + b.recordCount() - 1);
        return firstOffset;
    }

    @Test
    void shouldAcceptFirstBatchOfUnknownProducerAtAnySequence() {
        assertThat(state.check(batch(7, 0, 0, 3))).isInstanceOf(SequenceCheck.Append.class);
        assertThat(state.check(batch(7, 0, 500, 3))).isInstanceOf(SequenceCheck.Append.class);
    }

    @Test
    void shouldAcceptNextSequenceAndRejectGap() {
        append(batch(7, 0, 0, 3), 0);

        assertThat(state.check(batch(7, 0, 3, 1))).isInstanceOf(SequenceCheck.Append.class);
        SequenceCheck gap = state.check(batch(7, 0, 4, 1));
        assertThat(gap).isInstanceOf(SequenceCheck.Rejected.class);
        assertThat(((SequenceCheck.Rejected) gap).error()).isEqualTo(ProducerError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(((SequenceCheck.Rejected) gap).message()).contains("sequence 4", "3 was expected", "t-0");
    }

    @Test
    void shouldRecogniseRetryOfAnyOfLastFiveBatchesWithOriginalOffsets() {
        long offset = 100;
        for (int i = 0; i < 6; i++) {
            append(batch(7, 0, i * 2, 2), offset + i * 2);
        }

        SequenceCheck dup = state.check(batch(7, 0, 2, 2));
        assertThat(dup).isInstanceOf(SequenceCheck.Duplicate.class);
        BatchMetadata original = ((SequenceCheck.Duplicate) dup).original();
        assertThat(original.firstOffset()).isEqualTo(102);
        assertThat(original.lastOffset()).isEqualTo(103);
        assertThat(state.check(batch(7, 0, 0, 2)))
                .as("sixth-newest batch is forgotten")
                .isInstanceOf(SequenceCheck.Rejected.class);
    }

    @Test
    void shouldRejectOlderEpochAsInvalidProducerEpoch() {
        append(batch(7, 2, 0, 1), 0);

        SequenceCheck r = state.check(batch(7, 1, 1, 1));

        assertThat(((SequenceCheck.Rejected) r).error()).isEqualTo(ProducerError.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void shouldRequireNewEpochToStartAtSequenceZero() {
        append(batch(7, 0, 0, 5), 0);

        assertThat(state.check(batch(7, 1, 5, 1))).isInstanceOf(SequenceCheck.Rejected.class);
        assertThat(state.check(batch(7, 1, 0, 1))).isInstanceOf(SequenceCheck.Append.class);
        state.onAppend(batch(7, 1, 0, 1), 5, 5);
        assertThat(state.entry(7).epoch()).isEqualTo((short) 1);
        assertThat(state.entry(7).batches()).hasSize(1);
    }

    @Test
    void shouldWrapSequenceAfterIntegerMax() {
        append(batch(7, 0, Integer.MAX_VALUE - 1, 2), 0);

        assertThat(batch(7, 0, Integer.MAX_VALUE, 3).lastSequence()).isEqualTo(1);
        assertThat(state.check(batch(7, 0, 0, 1))).isInstanceOf(SequenceCheck.Append.class);
    }

    @Test
    void shouldNotCheckBatchesWithoutProducerId() {
        ProducerBatch plain = new ProducerBatch(-1, (short) -1, -1, 10, 0);
        assertThat(state.check(plain)).isInstanceOf(SequenceCheck.Append.class);
        state.onAppend(plain, 0, 9);
        assertThat(state.producerCount()).isZero();
        assertThat(state.mapEndOffset()).isEqualTo(10);
    }

    @Test
    void shouldCheckSeveralBatchesOfOneRequestInOrder() {
        append(batch(7, 0, 0, 1), 0);

        assertThat(state.checkAll(List.of(batch(7, 0, 1, 2), batch(7, 0, 3, 1))))
                .isInstanceOf(SequenceCheck.Append.class);
        assertThat(state.checkAll(List.of(batch(7, 0, 1, 2), batch(7, 0, 4, 1))))
                .isInstanceOf(SequenceCheck.Rejected.class);
    }

    @Test
    void shouldExpireProducersIdleLongerThanExpiration() {
        state.onAppend(new ProducerBatch(1, (short) 0, 0, 1, 1_000), 0, 0);
        state.onAppend(new ProducerBatch(2, (short) 0, 0, 1, 5_000), 1, 1);

        assertThat(state.removeExpired(10_000, 6_000)).isEqualTo(1);

        assertThat(state.entry(1)).isNull();
        assertThat(state.entry(2)).isNotNull();
    }
}
