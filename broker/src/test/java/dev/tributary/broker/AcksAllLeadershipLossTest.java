package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.append.ProduceValidator;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.broker.replication.ReplicationConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * An {@code acks=all} write appended by a leader that loses the leadership before the produce handler registers
 * its wait must fail with NOT_LEADER_OR_FOLLOWER, never be acknowledged: the high watermark did not cover it, so
 * the new leader may not have it (RollingRestartTest found acknowledged records lost this way during a SIGTERM).
 * The leadership is taken away deterministically inside the append, from the produce validator's after-append
 * hook, which runs under the partition's append lock.
 */
class AcksAllLeadershipLossTest {
    private static final int ABSENT_FOLLOWER = 99;

    @Test
    void anAcksAllWriteWhoseLeaderStepsDownRightAfterTheAppendIsNotAcknowledged() throws Exception {
        try (TestBroker broker = new TestBroker()) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(new NewTopic("lost", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            BrokerServices services = broker.broker().services();
            int self = services.nodeId();
            Partition p = services.partitions().get(new PartitionId("lost", 0));
            // leader at epoch 1 with a follower that never fetches: the high watermark cannot pass the log end
            p.becomeLeader(
                    self,
                    new LeaderAndIsr(self, 1, List.of(self, ABSENT_FOLLOWER), Set.of(self, ABSENT_FOLLOWER), 1),
                    new ReplicationConfig(30_000, 1),
                    System.currentTimeMillis(),
                    (id, proposal) -> {});
            services.produceValidator(new ProduceValidator() {
                @Override
                public void afterAppend(PartitionId partition, ByteBuffer batches, AppendResult result) {
                    p.becomeFollower(ABSENT_FOLLOWER, 2); // the quorum moved the leadership meanwhile
                }
            });

            ProduceResponseData.PartitionProduceResponse answer;
            try (RawClient c = new RawClient(broker.port())) {
                ProduceResponseData r = c.send(ApiKeys.PRODUCE, (short) 9, produce());
                answer = r.responses().iterator().next().partitionResponses().get(0);
            }
            assertThat(p.isFollower())
                    .as("the partition stepped down during the append")
                    .isTrue();
            assertThat(Errors.forCode(answer.errorCode()))
                    .as("answer to an acks=all write the high watermark never covered (" + answer.errorMessage() + ")")
                    .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        }
    }

    private static ProduceRequestData produce() {
        MemoryRecords records = MemoryRecords.withRecords(
                Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), null, "v".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName("lost")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(records))));
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000).setTopicData(topics);
    }
}
