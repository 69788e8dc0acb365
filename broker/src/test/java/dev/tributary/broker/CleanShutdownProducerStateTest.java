package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.producer.ProducerSnapshotFile;
import dev.tributary.broker.producer.ProducerStateLoader;
import dev.tributary.broker.producer.ProducerStateManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * A clean shutdown snapshots producer state at the log end offset, so the next start restores it without
 * replaying the log. The periodic snapshot is pushed out of the way (1 h) so only the shutdown writes one.
 */
class CleanShutdownProducerStateTest {

    @Test
    void shouldSnapshotProducerStateAtTheLogEndOnCleanShutdownAndStillRecogniseDuplicates() throws Exception {
        try (TestBroker broker = new TestBroker(Map.of("producer.state.snapshot.interval.ms", "3600000"))) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(new NewTopic("idem", 1, (short) 1)))
                        .all()
                        .get();
            }
            Path dir = broker.dataDir().resolve("idem-0");
            long pid;
            short epoch;
            try (RawClient c = new RawClient(broker.port())) {
                InitProducerIdResponseData init = c.send(
                        ApiKeys.INIT_PRODUCER_ID,
                        (short) 4,
                        new InitProducerIdRequestData()
                                .setTransactionalId(null)
                                .setTransactionTimeoutMs(60_000)
                                .setProducerId(-1)
                                .setProducerEpoch((short) -1));
                assertThat(init.errorCode()).isZero();
                pid = init.producerId();
                epoch = init.producerEpoch();
                assertThat(only(c.send(ApiKeys.PRODUCE, (short) 9, produce(idempotent(pid, epoch, 0, 3))))
                                .baseOffset())
                        .isZero();
                assertThat(only(c.send(ApiKeys.PRODUCE, (short) 9, produce(plain(2))))
                                .baseOffset())
                        .isEqualTo(3);
                assertThat(only(c.send(ApiKeys.PRODUCE, (short) 9, produce(idempotent(pid, epoch, 3, 2))))
                                .baseOffset())
                        .isEqualTo(5);
            }
            assertThat(ProducerSnapshotFile.list(dir))
                    .as("no periodic snapshot yet")
                    .isEmpty();

            broker.restart();

            List<Path> snapshots = ProducerSnapshotFile.list(dir);
            assertThat(snapshots).isNotEmpty();
            assertThat(ProducerSnapshotFile.offsetOf(snapshots.get(0)).getAsLong())
                    .isEqualTo(7L);
            ProducerStateManager restored = new ProducerStateManager("idem-0");
            long replayFrom = ProducerStateLoader.load(dir, restored, 0, 7, from -> {
                throw new AssertionError("the log was replayed from offset " + from);
            });
            assertThat(replayFrom).isEqualTo(7L);
            assertThat(restored.entry(pid).lastSequence()).isEqualTo(4);

            PartitionId idem = new PartitionId("idem", 0);
            try (RawClient c = new RawClient(broker.port())) {
                ProduceResponseData.PartitionProduceResponse again =
                        only(c.send(ApiKeys.PRODUCE, (short) 9, produce(idempotent(pid, epoch, 3, 2))));
                assertThat(again.errorCode()).isZero();
                assertThat(again.baseOffset())
                        .as("the duplicate is acknowledged at its original offset")
                        .isEqualTo(5);
                assertThat(broker.broker().services().partitions().get(idem).logEndOffset())
                        .isEqualTo(7L);
                assertThat(only(c.send(ApiKeys.PRODUCE, (short) 9, produce(idempotent(pid, epoch, 5, 1))))
                                .baseOffset())
                        .isEqualTo(7);
            }
        }
    }

    private static MemoryRecords idempotent(long pid, short epoch, int baseSequence, int count) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, baseSequence, records(count));
    }

    private static MemoryRecords plain(int count) {
        return MemoryRecords.withRecords(Compression.NONE, records(count));
    }

    private static SimpleRecord[] records(int count) {
        SimpleRecord[] rs = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            rs[i] = new SimpleRecord(System.currentTimeMillis(), null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return rs;
    }

    private static ProduceRequestData produce(MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName("idem")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(records))));
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000).setTopicData(topics);
    }

    private static ProduceResponseData.PartitionProduceResponse only(ProduceResponseData r) {
        ProduceResponseData.PartitionProduceResponse p =
                r.responses().iterator().next().partitionResponses().get(0);
        assertThat(p.errorCode()).as("produce error %s", p.errorMessage()).isZero();
        return p;
    }
}
