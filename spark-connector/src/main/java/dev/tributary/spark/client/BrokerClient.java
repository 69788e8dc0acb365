package dev.tributary.spark.client;

import dev.tributary.spark.Subscription;
import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.offsets.OffsetLookup;
import dev.tributary.spark.offsets.PartitionOffsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The driver's connection to the broker: which partitions a subscription covers (Metadata) and their
 * offsets (ListOffsets earliest / latest / by timestamp). One Admin client per query, closed with it.
 */
public final class BrokerClient implements OffsetLookup, AutoCloseable {
    private static final long TIMEOUT_MS = 60_000;

    private final Admin admin;

    public BrokerClient(Map<String, String> clientParams) {
        Properties props = new Properties();
        for (Map.Entry<String, String> e : clientParams.entrySet()) {
            if (AdminClientConfig.configNames().contains(e.getKey())) {
                props.put(e.getKey(), e.getValue());
            }
        }
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-spark-driver");
        this.admin = Admin.create(props);
    }

    /**
     * @param failOnUnknownTopic batch queries fail on a named topic that does not exist; streaming queries
     *     wait for it to appear
     */
    public List<TopicPartition> partitions(Subscription subscription, boolean failOnUnknownTopic) {
        List<TopicPartition> out = new ArrayList<>();
        if (subscription instanceof Subscription.Assign assign) {
            out.addAll(assign.partitions());
        } else {
            Collection<String> topics;
            if (subscription instanceof Subscription.Topics t) {
                topics = t.topics();
            } else {
                Pattern p = Pattern.compile(((Subscription.Pattern) subscription).regex());
                Set<String> names = await(
                        "list topics",
                        admin.listTopics(new ListTopicsOptions().listInternal(false))
                                .names());
                topics = names.stream()
                        .filter(n -> p.matcher(n).matches())
                        .sorted()
                        .toList();
            }
            for (String topic : topics) {
                try {
                    TopicDescription d = await(
                            "describe topic '" + topic + "'",
                            admin.describeTopics(List.of(topic))
                                    .topicNameValues()
                                    .get(topic));
                    for (TopicPartitionInfo info : d.partitions()) {
                        out.add(new TopicPartition(topic, info.partition()));
                    }
                } catch (UnknownTopicException e) {
                    if (failOnUnknownTopic) {
                        throw TributaryErrors.invalidOption("subscribe", topic, "topic does not exist");
                    }
                }
            }
        }
        out.sort(PartitionOffsets.ORDER);
        return out;
    }

    @Override
    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return list(partitions, tp -> OffsetSpec.earliest());
    }

    @Override
    public Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        return list(partitions, tp -> OffsetSpec.latest());
    }

    @Override
    public Map<TopicPartition, Long> forTimestamps(Map<TopicPartition, Long> timestampsMs) {
        Map<TopicPartition, Long> found =
                list(timestampsMs.keySet(), tp -> OffsetSpec.forTimestamp(timestampsMs.get(tp)));
        // ListOffsets answers -1 when no record has a timestamp >= the one asked for
        found.values().removeIf(v -> v < 0);
        return found;
    }

    private Map<TopicPartition, Long> list(
            Collection<TopicPartition> partitions, java.util.function.Function<TopicPartition, OffsetSpec> spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartition tp : new HashSet<>(partitions)) {
            request.put(tp, spec.apply(tp));
        }
        if (request.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = await(
                "list offsets of " + request.keySet(),
                admin.listOffsets(request).all());
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : result.entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    private static <T> T await(String what, org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TributaryErrors.brokerRequestFailed(what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UnknownTopicException();
            }
            throw TributaryErrors.brokerRequestFailed(what, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw TributaryErrors.brokerRequestFailed(what + " (no answer in " + TIMEOUT_MS + " ms)", e);
        }
    }

    /** Internal signal: the topic asked about does not exist. */
    private static final class UnknownTopicException extends RuntimeException {
        UnknownTopicException() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
