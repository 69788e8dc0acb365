package dev.tributary.flink.source.enumerator;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The enumerator's one window onto the broker: topic metadata and offset lookups through a Kafka
 * {@link Admin} client. Used only from the enumerator's worker thread.
 */
public final class BrokerMetadata implements TopicMetadataLookup, PartitionOffsetsLookup, AutoCloseable {

    private final Admin admin;
    private final String groupId;

    /** @param groupId the consumer group whose commits "committed" modes read; may be null */
    public BrokerMetadata(Properties clientProps, String groupId) {
        Properties p = new Properties();
        for (String key : AdminClientConfig.configNames()) {
            if (clientProps.containsKey(key)) {
                p.put(key, clientProps.get(key));
            }
        }
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-enumerator");
        this.admin = Admin.create(p);
        this.groupId = groupId;
    }

    @Override
    public Set<String> listTopics() {
        return get(admin.listTopics().names(), "list topics");
    }

    @Override
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> out = new HashMap<>();
        Map<String, KafkaFuture<TopicDescription>> futures =
                admin.describeTopics(topics).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : futures.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get().partitions().size());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("describe topic " + e.getKey() + " failed", ex.getCause());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topic " + e.getKey(), ex);
            }
        }
        return out;
    }

    @Override
    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, OffsetSpec.earliest());
    }

    @Override
    public Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, OffsetSpec.latest());
    }

    @Override
    public Map<TopicPartition, Long> forTimestamp(Collection<TopicPartition> partitions, long timestamp) {
        Map<TopicPartition, Long> found = listOffsets(partitions, OffsetSpec.forTimestamp(timestamp));
        // ListOffsets answers -1 when no record has a timestamp at or after the one asked for.
        found.values().removeIf(o -> o < 0);
        return found;
    }

    @Override
    public Map<TopicPartition, Long> committed(Collection<TopicPartition> partitions) {
        if (groupId == null) {
            throw new IllegalStateException("a committed-offsets mode needs a consumer group: set group.id");
        }
        ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec().topicPartitions(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = get(
                admin.listConsumerGroupOffsets(Map.of(groupId, spec)).partitionsToOffsetAndMetadata(groupId),
                "fetch committed offsets of group " + groupId);
        Map<TopicPartition, Long> out = new HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null && om.offset() >= 0) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    private Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = get(
                admin.listOffsets(request).all(),
                "list offsets " + spec.getClass().getSimpleName());
        Map<TopicPartition, Long> out = new HashMap<>();
        result.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
