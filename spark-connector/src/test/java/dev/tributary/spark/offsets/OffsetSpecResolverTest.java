package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spark.offsets.OffsetSpecResolver.NoMatchStrategy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetSpecResolverTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);
    static final List<TopicPartition> BOTH = List.of(P0, P1);

    /** Partition p holds offsets [10p, 100) with timestamp = 1000 * offset. */
    static final OffsetLookup LOOKUP = new OffsetLookup() {
        @Override
        public Map<TopicPartition, Long> earliest(Collection<TopicPartition> ps) {
            Map<TopicPartition, Long> m = new HashMap<>();
            ps.forEach(tp -> m.put(tp, 10L * tp.partition()));
            return m;
        }

        @Override
        public Map<TopicPartition, Long> latest(Collection<TopicPartition> ps) {
            Map<TopicPartition, Long> m = new HashMap<>();
            ps.forEach(tp -> m.put(tp, 100L));
            return m;
        }

        @Override
        public Map<TopicPartition, Long> forTimestamps(Map<TopicPartition, Long> ts) {
            Map<TopicPartition, Long> m = new HashMap<>();
            ts.forEach((tp, t) -> {
                long o = Math.max((t + 999) / 1000, 10L * tp.partition());
                if (o < 100) {
                    m.put(tp, o);
                }
            });
            return m;
        }
    };

    final OffsetSpecResolver resolver = new OffsetSpecResolver(LOOKUP);

    @Test
    void shouldResolveEarliestAndLatest() {
        assertThat(resolver.resolveStart(new OffsetSpec.Earliest(), BOTH, NoMatchStrategy.ERROR)
                        .asMap())
                .isEqualTo(Map.of(P0, 0L, P1, 10L));
        assertThat(resolver.resolveEnd(new OffsetSpec.Latest(), BOTH).asMap()).isEqualTo(Map.of(P0, 100L, P1, 100L));
    }

    @Test
    void shouldResolveMarkersAndDefaultMissingPartitions() {
        OffsetSpec spec = new OffsetSpec.Specific(PartitionOffsets.of(Map.of(P0, -1L)));
        assertThat(resolver.resolveStart(spec, BOTH, NoMatchStrategy.ERROR).asMap())
                .isEqualTo(Map.of(P0, 100L, P1, 10L));
        OffsetSpec end = new OffsetSpec.Specific(PartitionOffsets.of(Map.of(P1, -2L, P0, 50L)));
        assertThat(resolver.resolveEnd(end, BOTH).asMap()).isEqualTo(Map.of(P0, 50L, P1, 10L));
    }

    @Test
    void shouldRejectNegativeOffsetsOtherThanMarkers() {
        OffsetSpec spec = new OffsetSpec.Specific(PartitionOffsets.of(Map.of(P0, -5L)));
        assertThatThrownBy(() -> resolver.resolveStart(spec, BOTH, NoMatchStrategy.ERROR))
                .hasMessageContaining("startingOffsets")
                .hasMessageContaining("-5");
    }

    @Test
    void shouldResolveTimestampsAndApplyTheNoMatchStrategy() {
        assertThat(resolver.resolveStart(new OffsetSpec.GlobalTimestamp(20_500), BOTH, NoMatchStrategy.ERROR)
                        .asMap())
                .isEqualTo(Map.of(P0, 21L, P1, 21L));
        assertThat(resolver.resolveEnd(new OffsetSpec.GlobalTimestamp(1_000_000), BOTH)
                        .asMap())
                .isEqualTo(Map.of(P0, 100L, P1, 100L));
        assertThatThrownBy(() ->
                        resolver.resolveStart(new OffsetSpec.GlobalTimestamp(1_000_000), BOTH, NoMatchStrategy.ERROR))
                .hasMessageContaining("TRIBUTARY_NO_OFFSET_FOR_TIMESTAMP")
                .hasMessageContaining("t-0");
        assertThat(resolver.resolveStart(new OffsetSpec.GlobalTimestamp(1_000_000), BOTH, NoMatchStrategy.LATEST)
                        .asMap())
                .isEqualTo(Map.of(P0, 100L, P1, 100L));
    }

    @Test
    void shouldResolvePerPartitionTimestampsAndDefaultTheRest() {
        OffsetSpec spec = new OffsetSpec.PartitionTimestamps(PartitionOffsets.of(Map.of(P1, 30_000L)));
        assertThat(resolver.resolveStart(spec, BOTH, NoMatchStrategy.ERROR).asMap())
                .isEqualTo(Map.of(P0, 0L, P1, 30L));
        assertThat(resolver.resolveEnd(spec, BOTH).asMap()).isEqualTo(Map.of(P0, 100L, P1, 30L));
    }
}
