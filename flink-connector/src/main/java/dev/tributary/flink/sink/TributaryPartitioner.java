package dev.tributary.flink.sink;

import java.io.Serializable;
import org.apache.kafka.common.utils.Utils;

/**
 * Chooses the partition of a record the sink writes. Built-ins: {@link #keyHash()} (Kafka's own
 * murmur2 rule, so Flink-written and client-written records with equal keys land together),
 * {@link #fixed()} (each sink subtask writes one partition) and {@link #roundRobin()}. Implement it for a
 * custom rule.
 *
 * <p>One instance per sink subtask, called from the task thread only.
 */
public interface TributaryPartitioner<T> extends Serializable {

    /** Called once per subtask before the first record. */
    default void open(int subtask, int parallelism) {}

    /**
     * @param partitionCount how many partitions {@code topic} has (at least 1)
     * @return a partition in [0, partitionCount)
     */
    int partition(T element, byte[] key, byte[] value, String topic, int partitionCount);

    /** murmur2 of the key, as Kafka's producer does; records without a key go round-robin. */
    static <T> TributaryPartitioner<T> keyHash() {
        return new KeyHash<>();
    }

    /** Sink subtask i writes partition i mod partitionCount: few connections per subtask, ordered per subtask. */
    static <T> TributaryPartitioner<T> fixed() {
        return new Fixed<>();
    }

    /** Each subtask cycles through all partitions, starting at its own index so subtasks do not align. */
    static <T> TributaryPartitioner<T> roundRobin() {
        return new RoundRobin<>();
    }

    final class KeyHash<T> implements TributaryPartitioner<T> {
        private static final long serialVersionUID = 1L;
        private final RoundRobin<T> noKey = new RoundRobin<>();

        @Override
        public void open(int subtask, int parallelism) {
            noKey.open(subtask, parallelism);
        }

        @Override
        public int partition(T element, byte[] key, byte[] value, String topic, int partitionCount) {
            if (key == null) {
                return noKey.partition(element, null, value, topic, partitionCount);
            }
            return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
        }
    }

    final class Fixed<T> implements TributaryPartitioner<T> {
        private static final long serialVersionUID = 1L;
        private int subtask;

        @Override
        public void open(int subtask, int parallelism) {
            this.subtask = subtask;
        }

        @Override
        public int partition(T element, byte[] key, byte[] value, String topic, int partitionCount) {
            return subtask % partitionCount;
        }
    }

    final class RoundRobin<T> implements TributaryPartitioner<T> {
        private static final long serialVersionUID = 1L;
        private int next;

        @Override
        public void open(int subtask, int parallelism) {
            this.next = subtask;
        }

        @Override
        public int partition(T element, byte[] key, byte[] value, String topic, int partitionCount) {
            int p = Math.floorMod(next, partitionCount);
            next = p + 1;
            return p;
        }
    }
}
