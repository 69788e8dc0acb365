package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SourceOffsetTest {
    static final PartitionOffsets OFFSETS = PartitionOffsets.of(
            Map.of(new TopicPartition("b", 1), 7L, new TopicPartition("a", 10), 3L, new TopicPartition("a", 2), 42L));

    @Test
    void shouldWriteVersionOneJsonInAStableOrder() {
        assertThat(new SourceOffset(OFFSETS).json())
                .isEqualTo("{\"version\":1,\"offsets\":{\"a\":{\"2\":42,\"10\":3},\"b\":{\"1\":7}}}");
    }

    @Test
    void shouldReadVersionOne() {
        assertThat(SourceOffset.fromJson("{\"version\":1,\"offsets\":{\"a\":{\"2\":42,\"10\":3},\"b\":{\"1\":7}}}")
                        .offsets())
                .isEqualTo(OFFSETS);
    }

    @Test
    void shouldReadVersionZeroWhichIsSparkKafkaOffsetJson() {
        assertThat(SourceOffset.fromJson("{\"b\":{\"1\":7},\"a\":{\"10\":3,\"2\":42}}")
                        .offsets())
                .isEqualTo(OFFSETS);
    }

    @Test
    void shouldRoundTrip() {
        SourceOffset o = new SourceOffset(OFFSETS);
        assertThat(SourceOffset.fromJson(o.json()).offsets()).isEqualTo(OFFSETS);
    }

    @Test
    void shouldRejectUnknownVersionsAndMalformedJsonNamingTheJson() {
        assertThatThrownBy(() -> SourceOffset.fromJson("{\"version\":2,\"offsets\":{}}"))
                .hasMessageContaining("TRIBUTARY_INVALID_OFFSET_JSON")
                .hasMessageContaining("version 2")
                .hasMessageContaining("{\"version\":2");
        assertThatThrownBy(() -> SourceOffset.fromJson("{\"a\":{\"x\":1}}")).hasMessageContaining("bad partition 'x'");
        assertThatThrownBy(() -> SourceOffset.fromJson("{\"a\":{\"0\":\"one\"}}"))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> SourceOffset.fromJson("{oops")).hasMessageContaining("TRIBUTARY_INVALID_OFFSET_JSON");
    }
}
