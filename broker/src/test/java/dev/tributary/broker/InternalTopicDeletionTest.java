package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** DeleteTopics keeps the topics the broker's own services store their state in. */
class InternalTopicDeletionTest {

    @Test
    void shouldRefuseToDeleteConsumerOffsetsAndKeepCommittingOffsets() throws Exception {
        try (TestBroker broker = new TestBroker();
                Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)))
                    .all()
                    .get();
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true))
                            .names()
                            .get())
                    .contains("__consumer_offsets");

            assertThatThrownBy(() -> admin.deleteTopics(List.of("__consumer_offsets"))
                            .all()
                            .get())
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .cause()
                    .hasMessageContaining("__consumer_offsets");
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true))
                            .names()
                            .get())
                    .contains("__consumer_offsets");
            assertThat(broker.dataDir().resolve("__consumer_offsets-0")).isDirectory();

            Properties p = new Properties();
            p.putAll(broker.clientProps());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            TopicPartition tp = new TopicPartition("orders", 0);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0L)));
            }
            assertThat(admin.listConsumerGroupOffsets("billing")
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(tp)
                            .offset())
                    .isZero();
        }
    }

    @Test
    void shouldRefuseToDeleteTheSchemaRegistryTopicButDeleteOthersInTheSameRequest() throws Exception {
        try (TestBroker broker = new TestBroker();
                Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("_schemas", 1, (short) 1), new NewTopic("orders", 1, (short) 1)))
                    .all()
                    .get();

            var result = admin.deleteTopics(List.of("_schemas", "orders")).topicNameValues();
            assertThatThrownBy(() -> result.get("_schemas").get())
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .cause()
                    .hasMessageContaining("_schemas");
            result.get("orders").get();
            assertThat(admin.listTopics().names().get()).contains("_schemas").doesNotContain("orders");
        }
    }
}
