package dev.tributary.metadata.apply;

import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Replica assignment for new topics and partitions, spreading leaders and followers over live brokers.
 *
 * <p>The idea is Kafka's rack-unaware assignment. Brokers are taken in id order. Partition {@code p}'s first
 * replica (its preferred leader) is broker {@code (start + p) mod n}, so leaders go round the brokers. Its
 * followers come after it at a distance of {@code 1 + (shift + j) mod (n - 1)} for the j-th follower, where
 * {@code shift} grows by one each time the leaders have gone round all {@code n} brokers: without the shift,
 * broker b's followers would always be b+1, b+2, and losing b would load exactly those two. {@code start}
 * and {@code shift} are chosen by the caller (at random for a new topic) so that many small topics do not
 * all lead on the lowest broker id.
 */
public final class ReplicaAssigner {

    /** An assignment, or why none was possible. */
    public sealed interface Outcome {}

    public record Assigned(List<List<Integer>> replicas) implements Outcome {
        public Assigned {
            replicas = replicas.stream().map(List::copyOf).toList();
        }
    }

    public record NotEnoughBrokers(int replicationFactor, int liveBrokers) implements Outcome {}

    private ReplicaAssigner() {}

    /**
     * Assigns {@code partitions} partitions numbered from {@code firstPartition} over {@code brokerIds}.
     *
     * @param brokerIds the brokers to use, in the order leaders go round (callers pass them sorted)
     */
    public static Outcome assign(
            List<Integer> brokerIds, int firstPartition, int partitions, int replicationFactor, int start, int shift) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partition count must be positive, got " + partitions);
        }
        if (replicationFactor <= 0) {
            throw new IllegalArgumentException("replication factor must be positive, got " + replicationFactor);
        }
        int n = brokerIds.size();
        if (replicationFactor > n) {
            return new NotEnoughBrokers(replicationFactor, n);
        }
        int startIndex = Math.floorMod(start, n);
        int nextShift = Math.floorMod(shift, n);
        List<List<Integer>> result = new ArrayList<>(partitions);
        for (int p = firstPartition; p < firstPartition + partitions; p++) {
            if (p > 0 && p % n == 0) {
                nextShift++;
            }
            int first = (p + startIndex) % n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(brokerIds.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                int distance = 1 + (nextShift + j) % (n - 1);
                replicas.add(brokerIds.get((first + distance) % n));
            }
            result.add(replicas);
        }
        return new Assigned(result);
    }

    /** An assignment for a new topic over the image's live brokers; {@code seed} picks start and shift. */
    public static Outcome forNewTopic(MetadataImage image, int partitions, int replicationFactor, long seed) {
        List<Integer> live = liveBrokers(image);
        int n = Math.max(1, live.size());
        int start = (int) Math.floorMod(seed, (long) n);
        int shift = (int) Math.floorMod(seed / n, (long) n);
        return assign(live, 0, partitions, replicationFactor, start, shift);
    }

    /**
     * An assignment for {@code count} partitions added to {@code topic}, with the replication factor of its
     * partition 0 and continuing its leader rotation where the existing partitions left it.
     */
    public static Outcome forNewPartitions(MetadataImage image, TopicImage topic, int count) {
        List<Integer> live = liveBrokers(image);
        int replicationFactor = topic.partitions().get(0).targetReplicas().size();
        int firstLeader = topic.partitions().get(0).preferredLeader();
        int start = Math.max(0, live.indexOf(firstLeader));
        return assign(live, topic.partitionCount(), count, replicationFactor, start, start);
    }

    static List<Integer> liveBrokers(MetadataImage image) {
        return image.brokers().values().stream()
                .filter(b -> !b.fenced())
                .map(BrokerRegistration::id)
                .sorted()
                .toList();
    }
}
