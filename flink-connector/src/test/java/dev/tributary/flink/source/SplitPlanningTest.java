package dev.tributary.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.flink.source.enumerator.PartitionOffsetsLookup;
import dev.tributary.flink.source.enumerator.SplitPlanner;
import dev.tributary.flink.source.enumerator.Subscription;
import dev.tributary.flink.source.enumerator.TopicMetadataLookup;
import dev.tributary.flink.source.split.TributarySplit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Split planning, offset modes and subscriptions, without a broker. */
class SplitPlanningTest {

    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);

    /** Logs [10, 100) and [0, 50); records at offset o have timestamp 1000 * o; group committed a-0 at 40. */
    private final PartitionOffsetsLookup lookup = new PartitionOffsetsLookup() {
        final Map<TopicPartition, long[]> logs = Map.of(A0, new long[] {10, 100}, A1, new long[] {0, 50});

        @Override
        public Map<TopicPartition, Long> earliest(Collection<TopicPartition> ps) {
            Map<TopicPartition, Long> m = new HashMap<>();
            ps.forEach(tp -> m.put(tp, logs.get(tp)[0]));
            return m;
        }

        @Override
        public Map<TopicPartition, Long> latest(Collection<TopicPartition> ps) {
            Map<TopicPartition, Long> m = new HashMap<>();
            ps.forEach(tp -> m.put(tp, logs.get(tp)[1]));
            return m;
        }

        @Override
        public Map<TopicPartition, Long> forTimestamp(Collection<TopicPartition> ps, long ts) {
            Map<TopicPartition, Long> m = new HashMap<>();
            ps.forEach(tp -> {
                long o = Math.max(logs.get(tp)[0], (ts + 999) / 1000);
                if (o < logs.get(tp)[1]) {
                    m.put(tp, o);
                }
            });
            return m;
        }

        @Override
        public Map<TopicPartition, Long> committed(Collection<TopicPartition> ps) {
            return ps.contains(A0) ? Map.of(A0, 40L) : Map.of();
        }
    };

    @Test
    void shouldResolveEveryStartMode() {
        List<TopicPartition> both = List.of(A0, A1);
        assertThat(OffsetsInitializer.earliest().resolve(both, lookup)).isEqualTo(Map.of(A0, 10L, A1, 0L));
        assertThat(OffsetsInitializer.latest().resolve(both, lookup)).isEqualTo(Map.of(A0, 100L, A1, 50L));
        assertThat(OffsetsInitializer.committed(OffsetsInitializer.latest()).resolve(both, lookup))
                .isEqualTo(Map.of(A0, 40L, A1, 50L));
        assertThat(OffsetsInitializer.timestamp(30_500).resolve(both, lookup)).isEqualTo(Map.of(A0, 31L, A1, 31L));
        // a-1 ends at 49: nothing at or after ts 60 000, so the mode falls back to the log end
        assertThat(OffsetsInitializer.timestamp(60_000).resolve(both, lookup)).isEqualTo(Map.of(A0, 60L, A1, 50L));
        assertThat(OffsetsInitializer.offsets(Map.of(A1, 7L)).resolve(both, lookup))
                .isEqualTo(Map.of(A0, 10L, A1, 7L));
    }

    @Test
    void shouldRejectNegativeSpecificOffset() {
        assertThatThrownBy(() -> OffsetsInitializer.offsets(Map.of(A0, -1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a-0");
    }

    @Test
    void shouldCutLongBoundedRangesIntoPiecesThatTileTheRange() {
        List<TributarySplit> splits = SplitPlanner.plan(
                List.of(A0, A1),
                Map.of(A0, 10L, A1, 0L),
                Map.of(A0, 100L, A1, 5L),
                TributarySplit.NO_STOPPING_TIMESTAMP,
                25);
        List<TributarySplit> a0 =
                splits.stream().filter(s -> s.partition() == 0).toList();
        assertThat(a0).extracting(TributarySplit::startingOffset).containsExactly(10L, 35L, 60L, 85L);
        assertThat(a0).extracting(TributarySplit::stoppingOffset).containsExactly(35L, 60L, 85L, 100L);
        assertThat(a0).extracting(TributarySplit::rangeIndex).containsExactly(0, 1, 2, 3);
        assertThat(splits.stream().filter(s -> s.partition() == 1).toList())
                .containsExactly(new TributarySplit("a", 1, 0, 0, 5, TributarySplit.NO_STOPPING_TIMESTAMP));
        Set<String> ids = new HashSet<>();
        splits.forEach(s -> assertThat(ids.add(s.splitId())).isTrue());
    }

    @Test
    void shouldNeverCutUnboundedRanges() {
        List<TributarySplit> splits = SplitPlanner.plan(List.of(A0), Map.of(A0, 0L), Map.of(), 5_000L, 10);
        assertThat(splits).containsExactly(new TributarySplit("a", 0, 0, 0, TributarySplit.NO_STOPPING_OFFSET, 5_000L));
    }

    @Test
    void shouldSpreadPiecesOfOnePartitionOverAllReaders() {
        List<TributarySplit> splits = SplitPlanner.plan(
                List.of(A0), Map.of(A0, 0L), Map.of(A0, 40L), TributarySplit.NO_STOPPING_TIMESTAMP, 10);
        Set<Integer> owners = new HashSet<>();
        splits.forEach(s -> owners.add(SplitPlanner.ownerOf(s, 4)));
        assertThat(owners).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void shouldSelectPartitionsBySubscription() {
        TopicMetadataLookup meta = new TopicMetadataLookup() {
            @Override
            public Set<String> listTopics() {
                return Set.of("clicks-eu", "clicks-us", "orders");
            }

            @Override
            public Map<String, Integer> partitionCounts(Collection<String> topics) {
                Map<String, Integer> all = Map.of("clicks-eu", 2, "clicks-us", 1, "orders", 3);
                Map<String, Integer> m = new HashMap<>();
                topics.forEach(t -> {
                    if (all.containsKey(t)) {
                        m.put(t, all.get(t));
                    }
                });
                return m;
            }
        };
        assertThat(Subscription.pattern(Pattern.compile("clicks-.*")).select(meta))
                .containsExactlyInAnyOrder(
                        new TopicPartition("clicks-eu", 0),
                        new TopicPartition("clicks-eu", 1),
                        new TopicPartition("clicks-us", 0));
        assertThat(Subscription.topics(List.of("orders", "missing")).select(meta))
                .hasSize(3);
        assertThat(Subscription.partitions(List.of(new TopicPartition("orders", 2), new TopicPartition("orders", 9)))
                        .select(meta))
                .containsExactly(new TopicPartition("orders", 2));
    }
}
