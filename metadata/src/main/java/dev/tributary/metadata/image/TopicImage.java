package dev.tributary.metadata.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** A topic: its name, its id (unchanged for the topic's life, new if it is deleted and created again),
 * its configs (Kafka's names, for example {@code retention.ms}) and its partitions by index. */
public record TopicImage(
        String name, UUID topicId, SortedMap<String, String> configs, List<PartitionState> partitions) {

    /** Topic config that allows an automatic unclean leader election for this topic (Kafka's name). */
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    public TopicImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        configs = Collections.unmodifiableSortedMap(new TreeMap<>(configs));
        partitions = List.copyOf(partitions);
    }

    public static TopicImage of(
            String name, UUID topicId, Map<String, String> configs, List<PartitionState> partitions) {
        return new TopicImage(name, topicId, new TreeMap<>(configs), partitions);
    }

    public int partitionCount() {
        return partitions.size();
    }

    /** The partition, or null if the index is out of range. */
    public PartitionState partition(int index) {
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }

    public boolean uncleanLeaderElectionEnabled() {
        return Boolean.parseBoolean(configs.getOrDefault(UNCLEAN_LEADER_ELECTION_ENABLE, "false"));
    }

    public TopicImage withPartition(int index, PartitionState state) {
        List<PartitionState> copy = new ArrayList<>(partitions);
        copy.set(index, state);
        return new TopicImage(name, topicId, configs, copy);
    }

    public TopicImage withPartitions(List<PartitionState> newPartitions) {
        return new TopicImage(name, topicId, configs, newPartitions);
    }

    public TopicImage withConfigs(Map<String, String> newConfigs) {
        return new TopicImage(name, topicId, new TreeMap<>(newConfigs), partitions);
    }
}
