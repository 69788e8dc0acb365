package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.protocol.ApiRegistry;
import java.util.List;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.Test;

/**
 * Every registered API answers at every version it advertises, so a response field that does not
 * exist in an old version can never leave an old client (librdkafka, kcat) waiting.
 */
class EveryVersionTest {

    @Test
    void shouldAnswerEveryRegisteredApiAtEveryAcceptedVersion() throws Exception {
        try (TestBroker broker = new TestBroker();
                RawClient c = new RawClient(broker.port())) {
            broker.broker().services().topics().create("t", 1, java.util.Map.of(), false);
            List<ApiRegistry.Registration> apis =
                    List.copyOf(broker.broker().protocol().registry().all());
            assertThat(apis)
                    .extracting(ApiRegistry.Registration::key)
                    .contains(
                            ApiKeys.PRODUCE,
                            ApiKeys.FETCH,
                            ApiKeys.METADATA,
                            ApiKeys.LIST_OFFSETS,
                            ApiKeys.DESCRIBE_CONFIGS);
            for (ApiRegistry.Registration r : apis) {
                for (short v = r.acceptedMin(); v <= r.max(); v++) {
                    ApiMessage request = sample(r.key(), v);
                    ApiMessage response;
                    try {
                        response = c.send(r.key(), v, request);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(r.key() + " v" + v + " got no response", e);
                    }
                    assertThat(response).as("%s v%d", r.key(), v).isNotNull();
                }
            }
        }
    }

    /** A request with some content where an empty one would not reach the interesting fields. */
    private static ApiMessage sample(ApiKeys key, short version) {
        switch (key) {
            case PRODUCE:
                return new org.apache.kafka.common.message.ProduceRequestData()
                        .setAcks((short) -1)
                        .setTimeoutMs(1000);
            case LIST_OFFSETS:
                return new ListOffsetsRequestData()
                        .setReplicaId(-1)
                        .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                                .setName("t")
                                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                        .setPartitionIndex(0)
                                        .setTimestamp(-2)))));
            case DESCRIBE_CONFIGS:
                return new DescribeConfigsRequestData()
                        .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                                .setResourceType((byte) 2)
                                .setResourceName("t")
                                .setConfigurationKeys(null)));
            case METADATA:
                return new MetadataRequestData()
                        .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("t")))
                        .setAllowAutoTopicCreation(version >= 4 ? false : true);
            default:
                return ApiMessageType.fromApiKey(key.id).newRequest();
        }
    }
}
