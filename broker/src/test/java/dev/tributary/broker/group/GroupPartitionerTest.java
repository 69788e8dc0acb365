package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The partition of a group is Kafka's: {@code Utils.abs(groupId.hashCode()) % partitions}. */
class GroupPartitionerTest {

    @Test
    void shouldPlaceGroupsWhereKafkaPlacesThem() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(20);
            for (int c = 0; c < length; c++) {
                id.append((char) (' ' + random.nextInt(95)));
            }
            int partitions = 1 + random.nextInt(100);
            String groupId = id.toString();
            assertThat(GroupPartitioner.partitionFor(groupId, partitions))
                    .as("group '%s' over %d partitions (seed %d)", groupId, partitions, seed)
                    .isEqualTo(Utils.abs(groupId.hashCode()) % partitions);
        }
    }

    @Test
    void shouldPutTheGroupWhoseHashIsMinValueOnPartitionZeroNotANegativeOne() {
        String groupId = "polygenelubricants";
        assertThat(groupId.hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(Math.abs(groupId.hashCode()) % 50).isNegative(); // the trap Utils.abs avoids

        assertThat(GroupPartitioner.partitionFor(groupId, 50)).isZero();
    }

    @Test
    void shouldPutEveryGroupOnPartitionZeroOfASingleNode() {
        assertThat(GroupPartitioner.partitionFor("any", 1)).isZero();
        assertThat(GroupPartitioner.partitionFor("", 1)).isZero();
        assertThat(GroupPartitioner.partitionFor(null, 1)).isZero();
    }

    @Test
    void shouldRejectANonPositivePartitionCount() {
        assertThatThrownBy(() -> GroupPartitioner.partitionFor("g", 0)).hasMessageContaining("got 0");
    }
}
