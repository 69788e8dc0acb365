package dev.tributary.flink.source.enumerator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions a source reads. Re-evaluated on every discovery, so topics that match a pattern later
 * and partitions added later are picked up. Topics that do not exist yet contribute nothing.
 */
public interface Subscription extends Serializable {

    /** The partitions this subscription selects right now. */
    Set<TopicPartition> select(TopicMetadataLookup metadata);

    /** Every partition of the named topics. */
    static Subscription topics(Collection<String> topics) {
        List<String> names = List.copyOf(topics);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a topic subscription needs at least one topic");
        }
        return new TopicList(names);
    }

    /** Every partition of every topic whose whole name matches {@code pattern}. */
    static Subscription pattern(Pattern pattern) {
        return new TopicPattern(pattern.pattern());
    }

    /** Exactly these partitions (those that exist). */
    static Subscription partitions(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("a partition subscription needs at least one partition");
        }
        return new PartitionSet(Set.copyOf(partitions));
    }

    /** All partitions of {@code counts}' topics. */
    private static Set<TopicPartition> allPartitions(Map<String, Integer> counts) {
        Set<TopicPartition> out = new HashSet<>();
        counts.forEach((topic, n) -> {
            for (int p = 0; p < n; p++) {
                out.add(new TopicPartition(topic, p));
            }
        });
        return out;
    }

    /** A fixed list of topic names. */
    final class TopicList implements Subscription {
        private static final long serialVersionUID = 1L;
        private final List<String> topics;

        TopicList(List<String> topics) {
            this.topics = topics;
        }

        @Override
        public Set<TopicPartition> select(TopicMetadataLookup metadata) {
            return allPartitions(metadata.partitionCounts(topics));
        }

        @Override
        public String toString() {
            return "topics " + topics;
        }
    }

    /** A regular expression over topic names; stored as a string because Pattern is not serializable-safe. */
    final class TopicPattern implements Subscription {
        private static final long serialVersionUID = 1L;
        private final String regex;
        private transient Pattern compiled;

        TopicPattern(String regex) {
            this.regex = regex;
        }

        @Override
        public Set<TopicPartition> select(TopicMetadataLookup metadata) {
            if (compiled == null) {
                compiled = Pattern.compile(regex);
            }
            List<String> matching = new ArrayList<>();
            for (String t : metadata.listTopics()) {
                if (compiled.matcher(t).matches()) {
                    matching.add(t);
                }
            }
            return matching.isEmpty() ? Set.of() : allPartitions(metadata.partitionCounts(matching));
        }

        @Override
        public String toString() {
            return "topic pattern " + regex;
        }
    }

    /** An explicit set of partitions. */
    final class PartitionSet implements Subscription {
        private static final long serialVersionUID = 1L;
        private final Set<TopicPartition> partitions;

        PartitionSet(Set<TopicPartition> partitions) {
            this.partitions = partitions;
        }

        @Override
        public Set<TopicPartition> select(TopicMetadataLookup metadata) {
            Set<String> topics = new HashSet<>();
            partitions.forEach(tp -> topics.add(tp.topic()));
            Map<String, Integer> counts = metadata.partitionCounts(topics);
            Set<TopicPartition> out = new HashSet<>();
            for (TopicPartition tp : partitions) {
                Integer n = counts.get(tp.topic());
                if (n != null && tp.partition() < n) {
                    out.add(tp);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "partitions " + partitions;
        }
    }
}
