package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.partition.Partition;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;

/**
 * DescribeLogDirs (v1-v4): the broker's one data directory with the size on disk of every replica it holds,
 * as {@code kafka-log-dirs} and {@code Admin.describeLogDirs} ask for it. A replica's offset lag is 0: a broker
 * keeps no "future" replica of a partition in another directory. A null topic list asks for every replica; a
 * named partition this broker does not hold is left out of the answer, as Kafka does.
 */
final class LogDirApis implements ApiGroup {
    private final BrokerServices services;

    LogDirApis(BrokerServices services) {
        this.services = services;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.DESCRIBE_LOG_DIRS, 1, 4, this::describeLogDirs);
    }

    private void describeLogDirs(RequestContext ctx, DescribeLogDirsRequest request) {
        Map<String, Set<Integer>> wanted = wanted(request.data());
        Map<String, DescribeLogDirsResponseData.DescribeLogDirsTopic> topics = new TreeMap<>();
        for (Partition p : services.partitions().all()) {
            String topic = p.id().topic();
            int index = p.id().partition();
            if (wanted != null && !wanted.getOrDefault(topic, Set.of()).contains(index)) {
                continue;
            }
            topics.computeIfAbsent(topic, t -> new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(t))
                    .partitions()
                    .add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                            .setPartitionIndex(index)
                            .setPartitionSize(p.log().size())
                            .setOffsetLag(0)
                            .setIsFutureKey(false));
        }
        Path dir = services.config().dataDir().toAbsolutePath();
        DescribeLogDirsResponseData.DescribeLogDirsResult result =
                new DescribeLogDirsResponseData.DescribeLogDirsResult()
                        .setErrorCode(Errors.NONE.code())
                        .setLogDir(dir.toString())
                        .setTopics(List.copyOf(topics.values()));
        if (ctx.apiVersion() >= 4) {
            try {
                FileStore store = Files.getFileStore(dir);
                result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
            } catch (IOException e) {
                result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            }
        }
        ctx.respond(new DescribeLogDirsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setResults(List.of(result)));
    }

    /** The partitions asked for, by topic; null for every replica. */
    private static Map<String, Set<Integer>> wanted(DescribeLogDirsRequestData data) {
        if (data.topics() == null) {
            return null;
        }
        Map<String, Set<Integer>> wanted = new HashMap<>();
        for (DescribeLogDirsRequestData.DescribableLogDirTopic t : data.topics()) {
            wanted.computeIfAbsent(t.topic(), k -> new HashSet<>()).addAll(t.partitions());
        }
        return wanted;
    }
}
