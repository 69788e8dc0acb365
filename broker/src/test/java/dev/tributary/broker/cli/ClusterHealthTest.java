package dev.tributary.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/** What {@code cluster status} reports about partitions, from what the Admin API describes. */
class ClusterHealthTest {
    private static final Node N1 = new Node(1, "h", 1);
    private static final Node N2 = new Node(2, "h", 2);
    private static final Node N3 = new Node(3, "h", 3);

    @Test
    void listsUnderReplicatedAndOfflinePartitions() {
        TopicDescription t = new TopicDescription(
                "t",
                false,
                List.of(
                        new TopicPartitionInfo(0, N1, List.of(N1, N2, N3), List.of(N1, N2, N3)),
                        new TopicPartitionInfo(1, N2, List.of(N2, N3, N1), List.of(N2)),
                        new TopicPartitionInfo(2, null, List.of(N3), List.of(N3)),
                        new TopicPartitionInfo(3, N3, List.of(N3, N1), List.of(N3, N1))));

        String out = ClusterCommand.health(List.of(t), List.of(N1, N2));

        assertThat(out)
                .isEqualTo("Partitions: 4\n"
                        + "Under-replicated partitions: 1\n"
                        + "  t-1 (isr 2 of 2,3,1)\n"
                        + "Offline partitions: 2\n"
                        + "  t-2\n"
                        + "  t-3\n");
    }
}
