package dev.tributary.broker.group;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the group coordinator inside a broker: makes sure {@code __consumer_offsets} exists (one
 * partition, compacted), loads what it holds, and schedules the coordinator's timeouts.
 */
public final class GroupService {

    private static final Logger LOG = LoggerFactory.getLogger(GroupService.class);

    /** How often session, rebalance and join-delay timeouts are checked; their resolution. */
    static final long POLL_INTERVAL_MS = 100;

    /** Settings of the offsets topic, as Kafka's {@code offsets.topic.*} defaults. */
    static final Map<String, String> TOPIC_CONFIGS = Map.of(
            "cleanup.policy", "compact",
            "segment.bytes", "104857600");

    private GroupService() {}

    public static GroupCoordinator start(BrokerServices services) {
        if (services.topics().get(ConsumerOffsetsRecords.TOPIC).isEmpty()) {
            services.topics().create(ConsumerOffsetsRecords.TOPIC, 1, TOPIC_CONFIGS, false);
        }
        Partition partition = services.partitions().get(new PartitionId(ConsumerOffsetsRecords.TOPIC, 0));
        if (partition == null) {
            throw new IllegalStateException(ConsumerOffsetsRecords.TOPIC + "-0 is not hosted by this broker");
        }
        ConsumerOffsetsTopic store = new ConsumerOffsetsTopic(partition::append, services.clock());
        GroupCoordinator coordinator =
                new GroupCoordinator(GroupConfig.from(services.config()), services.clock(), store);
        long started = System.nanoTime();
        GroupLoader.Loaded loaded = GroupLoader.read(partition.log().batches(partition.logStartOffset()));
        coordinator.load(loaded);
        LOG.info(
                "Loaded {} groups and the offsets of {} groups from {} records of {} in {} ms ({} unreadable)",
                loaded.groups().size(),
                loaded.offsets().size(),
                loaded.records(),
                ConsumerOffsetsRecords.TOPIC,
                (System.nanoTime() - started) / 1_000_000,
                loaded.skipped());
        services.scheduler().schedulePeriodic("group-coordinator-timeouts", POLL_INTERVAL_MS, coordinator::poll);
        long cleanupInterval =
                services.config().getMs(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, 600_000L, 1, Long.MAX_VALUE);
        services.scheduler()
                .schedulePeriodic(
                        "group-offsets-of-deleted-topics",
                        cleanupInterval,
                        () -> coordinator.offsets().removeOffsetsOfDeletedTopics(services::topicExists));
        return coordinator;
    }
}
