package dev.tributary.log.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecoveredHeaderTest {

    private static ByteBuffer header(int batchSize, long baseOffset, int lastDelta, byte magic) {
        ByteBuffer b = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        b.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        b.putInt(RecordBatch.LENGTH_OFFSET, batchSize - RecordBatch.LOG_OVERHEAD);
        b.put(RecordBatch.MAGIC_OFFSET, magic);
        b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, lastDelta);
        return b;
    }

    @Test
    void shouldAcceptAHeaderThatFitsTheFileAndContinuesTheOffsets() {
        assertThat(RecoveredHeader.plausible(header(100, 10, 4, RecordBatch.MAGIC), 100, 10, true, 0))
                .isTrue();
    }

    @Test
    void shouldRefuseABatchLongerThanWhatIsLeftOfTheFile() {
        assertThat(RecoveredHeader.plausible(header(101, 10, 4, RecordBatch.MAGIC), 100, 10, true, 0))
                .isFalse();
    }

    @Test
    void shouldRefuseALengthShorterThanTheHeader() {
        assertThat(RecoveredHeader.plausible(
                        header(RecordBatch.HEADER_SIZE - 1, 10, 4, RecordBatch.MAGIC), 100, 10, true, 0))
                .isFalse();
    }

    @Test
    void shouldRefuseAnotherMagic() {
        assertThat(RecoveredHeader.plausible(header(100, 10, 4, (byte) 1), 100, 10, true, 0))
                .isFalse();
    }

    @Test
    void shouldRequireExactlyTheNextOffsetOnlyWhenOffsetsAreContiguous() {
        ByteBuffer gap = header(100, 12, 4, RecordBatch.MAGIC);
        assertThat(RecoveredHeader.plausible(gap, 100, 10, true, 0)).isFalse();
        assertThat(RecoveredHeader.plausible(gap, 100, 10, false, 0)).isTrue();
        assertThat(RecoveredHeader.plausible(header(100, 9, 4, RecordBatch.MAGIC), 100, 10, false, 0))
                .isFalse();
    }

    @Test
    void shouldRefuseOffsetsBeyondTheSegmentsRelativeRange() {
        long tooFar = (long) Integer.MAX_VALUE + 1;
        assertThat(RecoveredHeader.plausible(header(100, tooFar, 0, RecordBatch.MAGIC), 100, tooFar, true, 0))
                .isFalse();
        assertThat(RecoveredHeader.plausible(header(100, 10, -1, RecordBatch.MAGIC), 100, 10, true, 0))
                .isFalse();
    }
}
