package dev.tributary.flink.source.enumerator;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a start or stop mode into concrete offsets for a set of partitions. Resolution happens in the
 * enumerator when partitions are discovered, so every split carries a real offset and restarts from a
 * checkpoint never re-resolve "latest" or a timestamp.
 *
 * <p>Modes: {@link #earliest()}, {@link #latest()}, {@link #committed(OffsetsInitializer)},
 * {@link #timestamp(long)} and {@link #offsets(Map, OffsetsInitializer)}.
 */
public interface OffsetsInitializer extends Serializable {

    /** An offset for every one of {@code partitions}. */
    Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions, PartitionOffsetsLookup lookup);

    /**
     * The timestamp this mode is defined by, if any. A stop at a timestamp also ends splits at the first
     * record with a timestamp at or after it, which is what lets an unbounded job stop at an event time
     * that has not been written yet.
     */
    default OptionalLong timestamp() {
        return OptionalLong.empty();
    }

    static OffsetsInitializer earliest() {
        return new Earliest();
    }

    static OffsetsInitializer latest() {
        return new Latest();
    }

    /** The group's committed offsets; partitions without a commit use {@code fallback}. */
    static OffsetsInitializer committed(OffsetsInitializer fallback) {
        return new Committed(fallback);
    }

    /** The group's committed offsets, earliest where there is none. */
    static OffsetsInitializer committed() {
        return committed(earliest());
    }

    /** The first offset with a timestamp at or after {@code timestamp}; the log end when there is none. */
    static OffsetsInitializer timestamp(long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0, got " + timestamp);
        }
        return new Timestamp(timestamp);
    }

    /** Given offsets; partitions not in {@code offsets} use {@code fallback}. */
    static OffsetsInitializer offsets(Map<TopicPartition, Long> offsets, OffsetsInitializer fallback) {
        offsets.forEach((tp, o) -> {
            if (o < 0) {
                throw new IllegalArgumentException("offset for " + tp + " must be >= 0, got " + o);
            }
        });
        return new Specific(new HashMap<>(offsets), fallback);
    }

    /** Given offsets; partitions not in the map start at the earliest offset. */
    static OffsetsInitializer offsets(Map<TopicPartition, Long> offsets) {
        return offsets(offsets, earliest());
    }

    /** Fills the partitions {@code resolved} lacks from {@code fallback}. */
    private static Map<TopicPartition, Long> withFallback(
            Map<TopicPartition, Long> resolved,
            Collection<TopicPartition> partitions,
            OffsetsInitializer fallback,
            PartitionOffsetsLookup lookup) {
        List<TopicPartition> missing =
                partitions.stream().filter(tp -> !resolved.containsKey(tp)).toList();
        Map<TopicPartition, Long> out = new HashMap<>(resolved);
        if (!missing.isEmpty()) {
            out.putAll(fallback.resolve(missing, lookup));
        }
        return out;
    }

    final class Earliest implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions, PartitionOffsetsLookup lookup) {
            return lookup.earliest(partitions);
        }

        @Override
        public String toString() {
            return "earliest";
        }
    }

    final class Latest implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions, PartitionOffsetsLookup lookup) {
            return lookup.latest(partitions);
        }

        @Override
        public String toString() {
            return "latest";
        }
    }

    final class Committed implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;
        private final OffsetsInitializer fallback;

        Committed(OffsetsInitializer fallback) {
            this.fallback = fallback;
        }

        @Override
        public Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions, PartitionOffsetsLookup lookup) {
            return withFallback(lookup.committed(partitions), partitions, fallback, lookup);
        }

        @Override
        public String toString() {
            return "committed (else " + fallback + ")";
        }
    }

    final class Timestamp implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;
        private final long timestamp;

        Timestamp(long timestamp) {
            this.timestamp = timestamp;
        }

        @Override
        public Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions, PartitionOffsetsLookup lookup) {
            // No record at or after the timestamp means everything so far is older: start (or stop) at the end.
            return withFallback(lookup.forTimestamp(partitions, timestamp), partitions, new Latest(), lookup);
        }

        @Override
        public OptionalLong timestamp() {
            return OptionalLong.of(timestamp);
        }

        @Override
        public String toString() {
            return "timestamp " + timestamp;
        }
    }

    final class Specific implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;
        private final HashMap<TopicPartition, Long> offsets;
        private final OffsetsInitializer fallback;

        Specific(HashMap<TopicPartition, Long> offsets, OffsetsInitializer fallback) {
            this.offsets = offsets;
            this.fallback = fallback;
        }

        @Override
        public Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions, PartitionOffsetsLookup lookup) {
            Map<TopicPartition, Long> given = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Long o = offsets.get(tp);
                if (o != null) {
                    given.put(tp, o);
                }
            }
            return withFallback(given, partitions, fallback, lookup);
        }

        @Override
        public String toString() {
            return "offsets " + offsets + " (else " + fallback + ")";
        }
    }
}
