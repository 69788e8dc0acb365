package dev.tributary.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spark.offsets.PartitionOffsets;
import dev.tributary.spark.offsets.SourceOffset;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.execution.streaming.runtime.SerializedOffset;
import org.junit.jupiter.api.Test;

class StreamOffsetsTest {

    private static final PartitionOffsets OFFSETS =
            PartitionOffsets.of(Map.of(new TopicPartition("t", 0), 43L, new TopicPartition("t", 1), 42L));

    @Test
    void shouldReadOurOwnOffset() {
        assertThat(TributaryMicroBatchStream.offsetsOf(new SourceOffset(OFFSETS)))
                .isEqualTo(OFFSETS);
    }

    @Test
    void shouldReadTheSerializedOffsetSparkHandsBackAfterARestart() {
        SerializedOffset restored = new SerializedOffset(new SourceOffset(OFFSETS).json());
        assertThat(TributaryMicroBatchStream.offsetsOf(restored)).isEqualTo(OFFSETS);
    }
}
