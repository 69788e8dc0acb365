package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each bad input gets a precise response (or, for broken frames, a closed connection) and the broker
 * keeps serving: every test ends by checking a healthy request still works.
 */
class BadInputTest {
    private static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = new TestBroker(Map.of("auto.create.topics.enable", "false", "socket.request.max.bytes", "1048576"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static void assertBrokerStillServes() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            ApiVersionsResponseData r = c.send(
                    ApiKeys.API_VERSIONS,
                    (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
            assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    private static void createTopic(String name, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs)))
                    .all()
                    .get();
        }
    }

    private static ProduceRequestData produce(String topic, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName(topic)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(records))));
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000).setTopicData(topics);
    }

    private static ProduceResponseData.PartitionProduceResponse only(ProduceResponseData r) {
        return r.responses().iterator().next().partitionResponses().get(0);
    }

    private static MemoryRecords records(int count, int valueBytes) {
        SimpleRecord[] rs = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            rs[i] = new SimpleRecord(
                    System.currentTimeMillis(), ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[valueBytes]);
        }
        return MemoryRecords.withRecords(Compression.NONE, rs);
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWhenAutoCreateIsOff() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            MetadataResponseData md = c.send(
                    ApiKeys.METADATA,
                    (short) 12,
                    new MetadataRequestData()
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("no-such-topic")))
                            .setAllowAutoTopicCreation(true));
            assertThat(md.topics().find("no-such-topic").errorCode())
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            ProduceResponseData pr = c.send(ApiKeys.PRODUCE, (short) 9, produce("no-such-topic", records(1, 10)));
            assertThat(only(pr).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        assertThat(broker.broker().services().topics().get("no-such-topic")).isEmpty();
        assertBrokerStillServes();
    }

    @Test
    void shouldAnswerOffsetOutOfRangeWithTheCurrentLogStartOffset() throws Exception {
        createTopic("oor", Map.of());
        try (RawClient c = new RawClient(broker.port())) {
            assertThat(only(c.send(ApiKeys.PRODUCE, (short) 9, produce("oor", records(10, 10))))
                            .errorCode())
                    .isZero();
            DeleteRecordsRequestData del = new DeleteRecordsRequestData()
                    .setTimeoutMs(5000)
                    .setTopics(List.of(new DeleteRecordsRequestData.DeleteRecordsTopic()
                            .setName("oor")
                            .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition()
                                    .setPartitionIndex(0)
                                    .setOffset(4)))));
            DeleteRecordsResponseData dr = c.send(ApiKeys.DELETE_RECORDS, (short) 2, del);
            assertThat(dr.topics().find("oor").partitions().find(0).lowWatermark())
                    .isEqualTo(4);

            for (long bad : new long[] {2, 11}) {
                FetchRequestData fetch = new FetchRequestData()
                        .setReplicaId(-1)
                        .setMaxWaitMs(0)
                        .setMinBytes(1)
                        .setMaxBytes(1 << 20)
                        .setTopics(List.of(new FetchRequestData.FetchTopic()
                                .setTopic("oor")
                                .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                        .setPartition(0)
                                        .setFetchOffset(bad)
                                        .setPartitionMaxBytes(1 << 20)))));
                FetchResponseData fr = c.send(ApiKeys.FETCH, (short) 12, fetch);
                FetchResponseData.PartitionData pd =
                        fr.responses().get(0).partitions().get(0);
                assertThat(pd.errorCode()).as("fetch at %d", bad).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
                assertThat(pd.logStartOffset()).isEqualTo(4);
                assertThat(pd.highWatermark()).isEqualTo(10);
            }
        }
        assertBrokerStillServes();
    }

    @Test
    void shouldRejectABatchWithABadCrcAsCorruptMessageAndKeepTheConnection() throws Exception {
        createTopic("corrupt", Map.of());
        try (RawClient c = new RawClient(broker.port())) {
            MemoryRecords good = records(3, 20);
            ByteBuffer bad = ByteBuffer.allocate(good.sizeInBytes());
            bad.put(good.buffer().duplicate()).flip();
            int last = bad.limit() - 1;
            bad.put(last, (byte) (bad.get(last) ^ 0x5A)); // inside the last record's value: CRC no longer matches
            ProduceResponseData pr =
                    c.send(ApiKeys.PRODUCE, (short) 9, produce("corrupt", MemoryRecords.readableRecords(bad)));
            assertThat(only(pr).errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
            assertThat(only(pr).errorMessage()).contains("corrupt-0");
            // nothing was written, and the same connection still works
            ProduceResponseData ok = c.send(ApiKeys.PRODUCE, (short) 9, produce("corrupt", records(2, 20)));
            assertThat(only(ok).errorCode()).isZero();
            assertThat(only(ok).baseOffset()).isZero();
        }
    }

    @Test
    void shouldRejectARecordLargerThanMaxMessageBytesWithMessageTooLarge() throws Exception {
        createTopic("small", Map.of("max.message.bytes", "1024"));
        try (RawClient c = new RawClient(broker.port())) {
            ProduceResponseData pr = c.send(ApiKeys.PRODUCE, (short) 9, produce("small", records(1, 4000)));
            assertThat(only(pr).errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        }
        Properties p = broker.clientProps();
        p.put("enable.idempotence", "false");
        p.put("retries", "0");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small", new byte[4000]))
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
        assertBrokerStillServes();
    }

    @Test
    void shouldRejectAnInvalidConfigValueWithInvalidConfigNamingKeyAndValue() throws Exception {
        try (Admin admin = Admin.create(broker.clientProps())) {
            assertThatThrownBy(() -> admin.createTopics(List.of(
                                    new NewTopic("badcfg", 1, (short) 1).configs(Map.of("retention.ms", "forever"))))
                            .all()
                            .get())
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("retention.ms")
                    .hasMessageContaining("forever");
            createTopic("goodcfg", Map.of());
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "goodcfg");
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                    res,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("segment.bytes", "-5"), AlterConfigOp.OpType.SET))))
                            .all()
                            .get())
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("segment.bytes")
                    .hasMessageContaining("-5");
        }
        assertBrokerStillServes();
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentAGarbageFrame() throws Exception {
        try (RawClient healthy = new RawClient(broker.port());
                RawClient bad = new RawClient(broker.port())) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(frame);
            d.writeInt(12);
            d.writeShort(0x7abc); // no such API key
            d.writeShort(0);
            d.writeInt(1);
            d.writeInt(0xdeadbeef);
            bad.sendRaw(frame.toByteArray());
            assertThat(bad.closedByBroker()).isTrue();
            ApiVersionsResponseData r = healthy.send(ApiKeys.API_VERSIONS, (short) 0, new ApiVersionsRequestData());
            assertThat(r.errorCode()).isZero();
        }
    }

    @Test
    void shouldCloseTheConnectionOnATruncatedRequestHeader() throws Exception {
        try (RawClient bad = new RawClient(broker.port())) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(frame);
            d.writeInt(9);
            d.writeShort(ApiKeys.METADATA.id);
            d.writeShort(12); // header v2: a client id and tagged fields should follow
            d.writeInt(7);
            d.writeByte(0x7f); // a client id length with no bytes behind it
            bad.sendRaw(frame.toByteArray());
            assertThat(bad.closedByBroker()).isTrue();
        }
        assertBrokerStillServes();
    }

    @Test
    void shouldCloseTheConnectionOnANegativeSizePrefix() throws Exception {
        try (RawClient bad = new RawClient(broker.port())) {
            bad.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0});
            assertThat(bad.closedByBroker()).isTrue();
        }
        assertBrokerStillServes();
    }

    @Test
    void shouldCloseAnOversizedRequestFromItsSizePrefixAlone() throws Exception {
        try (RawClient bad = new RawClient(broker.port())) {
            // 1 GiB announced against socket.request.max.bytes=1 MiB; no body follows, so the only way the
            // connection can end is the broker rejecting the prefix before allocating a buffer for it.
            bad.sendRaw(new byte[] {0x40, 0, 0, 0});
            assertThat(bad.closedByBroker()).isTrue();
        }
        assertBrokerStillServes();
    }

    @Test
    void shouldAnswerUnsupportedVersionForAdvertisedButRejectedProduceV2() throws Exception {
        createTopic("legacy", Map.of());
        try (RawClient c = new RawClient(broker.port())) {
            ApiVersionsResponseData versions = c.send(
                    ApiKeys.API_VERSIONS,
                    (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
            assertThat(versions.apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
            assertThat(versions.apiKeys().find(ApiKeys.PRODUCE.id).maxVersion()).isEqualTo((short) 12);
            assertThat(versions.apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short) 12);

            // Produce v2 by hand: header v1, acks, timeout, [topic [partition records]]
            byte[] records = new byte[0];
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(body);
            d.writeShort(ApiKeys.PRODUCE.id);
            d.writeShort(2);
            d.writeInt(42);
            d.writeShort(1);
            d.write('t');
            d.writeShort(1);
            d.writeInt(1000);
            d.writeInt(1);
            d.writeShort(6);
            d.write("legacy".getBytes(StandardCharsets.US_ASCII));
            d.writeInt(1);
            d.writeInt(0);
            d.writeInt(records.length);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            new DataOutputStream(frame).writeInt(body.size());
            frame.write(body.toByteArray());
            c.sendRaw(frame.toByteArray());
            ByteBuffer resp = ByteBuffer.wrap(c.readFrame());
            assertThat(resp.getInt()).isEqualTo(42); // correlation id
            assertThat(resp.getInt()).isEqualTo(1); // topics
            resp.position(resp.position() + 2 + 6);
            assertThat(resp.getInt()).isEqualTo(1); // partitions
            assertThat(resp.getInt()).isZero(); // partition 0
            assertThat(resp.getShort()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        }
        assertBrokerStillServes();
    }
}
