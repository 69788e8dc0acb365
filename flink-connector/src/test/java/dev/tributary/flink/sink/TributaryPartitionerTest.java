package dev.tributary.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class TributaryPartitionerTest {

    @Test
    void shouldHashKeysExactlyAsKafkasProducerDoes() {
        TributaryPartitioner<String> p = TributaryPartitioner.keyHash();
        p.open(0, 1);
        for (String k : List.of("a", "user-17", "ü-ключ", "")) {
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            assertThat(p.partition(k, key, null, "t", 7)).isEqualTo(BuiltInPartitioner.partitionForKey(key, 7));
        }
    }

    @Test
    void shouldPinEachSubtaskToOnePartitionWhenFixed() {
        TributaryPartitioner<String> p = TributaryPartitioner.fixed();
        p.open(5, 8);
        assertThat(p.partition("x", null, null, "t", 3)).isEqualTo(2);
        assertThat(p.partition("y", null, null, "t", 3)).isEqualTo(2);
    }

    @Test
    void shouldCycleThroughAllPartitionsWhenRoundRobin() {
        TributaryPartitioner<String> p = TributaryPartitioner.roundRobin();
        p.open(1, 2);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(p.partition("x", null, null, "t", 3));
        }
        assertThat(got).containsExactly(1, 2, 0, 1, 2, 0);
    }

    @Test
    void shouldRejectExactlyOnceWithAClearMessage() {
        assertThatThrownBy(() -> TributarySink.<String>builder().setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("EXACTLY_ONCE")
                .hasMessageContaining("transactions")
                .hasMessageContaining("AT_LEAST_ONCE");
    }

    @Test
    void shouldRequireATopicAndAValueFormat() {
        assertThatThrownBy(() -> TributaryRecordSerializationSchema.<String>builder()
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> TributaryRecordSerializationSchema.<String>builder()
                        .setTopic("t")
                        .build())
                .hasMessageContaining("value");
    }
}
