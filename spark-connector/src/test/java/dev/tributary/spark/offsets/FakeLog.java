package dev.tributary.spark.offsets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of a few partitions held in maps, answering {@link OffsetLookup} as the broker would: for
 * the planner tests, which need a log that grows, loses its head, disappears or is created again between
 * triggers. Record {@code o} of every partition has timestamp {@code 1000 * o}.
 */
final class FakeLog implements OffsetLookup {
    private final Map<TopicPartition, long[]> logs = new TreeMap<>(PartitionOffsets.ORDER); // {start, end}
    int timestampQueries;

    FakeLog with(TopicPartition tp, long logStart, long logEnd) {
        logs.put(tp, new long[] {logStart, logEnd});
        return this;
    }

    FakeLog append(TopicPartition tp, long records) {
        logs.get(tp)[1] += records;
        return this;
    }

    FakeLog delete(TopicPartition tp) {
        logs.remove(tp);
        return this;
    }

    List<TopicPartition> partitions() {
        return new ArrayList<>(logs.keySet());
    }

    @Override
    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> m = new HashMap<>();
        partitions.forEach(tp -> m.put(tp, logs.get(tp)[0]));
        return m;
    }

    @Override
    public Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> m = new HashMap<>();
        partitions.forEach(tp -> m.put(tp, logs.get(tp)[1]));
        return m;
    }

    @Override
    public Map<TopicPartition, Long> forTimestamps(Map<TopicPartition, Long> timestampsMs) {
        timestampQueries++;
        Map<TopicPartition, Long> m = new HashMap<>();
        timestampsMs.forEach((tp, ts) -> {
            long[] log = logs.get(tp);
            long offset = Math.max(log[0], (ts + 999) / 1000);
            if (offset < log[1]) {
                m.put(tp, offset);
            }
        });
        return m;
    }
}
