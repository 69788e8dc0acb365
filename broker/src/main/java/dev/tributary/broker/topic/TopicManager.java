package dev.tributary.broker.topic;

import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.broker.errors.InvalidPartitionsException;
import dev.tributary.broker.errors.InvalidRequestException;
import dev.tributary.broker.errors.StorageException;
import dev.tributary.broker.errors.TopicExistsException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.ReplicationThrottle;
import dev.tributary.log.ConfigException;
import dev.tributary.log.LogConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics: create (explicitly or on first use when {@code auto.create.topics.enable}), delete, add
 * partitions, and topic and dynamic broker configs. Every change is persisted in the
 * {@link MetadataStore} before it is visible. Changes are serialised by this object's lock; lookups are
 * lock-free.
 */
public final class TopicManager {
    private static final Logger log = LoggerFactory.getLogger(TopicManager.class);

    private final BrokerConfig staticConfig;
    private final PartitionManager partitions;
    private final MetadataStore store;
    private final String clusterId;
    private final ConcurrentMap<String, TopicInfo> topics = new ConcurrentHashMap<>();
    private volatile Map<String, String> brokerDynamic;

    public TopicManager(BrokerConfig config, PartitionManager partitions, MetadataStore store) throws IOException {
        this.staticConfig = config;
        this.partitions = partitions;
        this.store = store;
        MetadataStore.Snapshot snapshot = store.load();
        this.clusterId = snapshot.clusterId();
        this.brokerDynamic = Map.copyOf(snapshot.brokerConfigs());
        topics.putAll(snapshot.topics());
        adoptUnknownPartitionDirectories();
        // make sure every partition of every known topic exists on disk with the current config
        for (TopicInfo t : topics.values()) {
            LogConfig cfg = logConfig(t);
            for (int p = 0; p < t.partitions(); p++) {
                partitions.getOrCreate(new PartitionId(t.name(), p), cfg);
                partitions.updateConfig(new PartitionId(t.name(), p), cfg);
            }
        }
        persist();
    }

    /** Partition directories with no metadata entry (e.g. copied from Kafka) become topics with default configs. */
    private void adoptUnknownPartitionDirectories() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Partition p : partitions.all()) {
            counts.merge(p.id().topic(), p.id().partition() + 1, Math::max);
        }
        counts.forEach((name, count) -> {
            if (staticConfig.clusterMode() && !ClusterTopics.isLocalOnly(name)) {
                return; // on a cluster node these are partitions of cluster topics, kept by the metadata quorum
            }
            TopicInfo known = topics.get(name);
            if (known == null) {
                log.info(
                        "Adopting partition directories of topic {} ({} partitions) found in the data dir",
                        name,
                        count);
                topics.put(name, new TopicInfo(name, UUID.randomUUID(), count, Map.of()));
            } else if (known.partitions() < count) {
                topics.put(name, known.withPartitions(count));
            }
        });
    }

    public String clusterId() {
        return clusterId;
    }

    public Optional<TopicInfo> get(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Collection<TopicInfo> all() {
        return new ArrayList<>(new TreeMap<>(topics).values());
    }

    /**
     * The topic, creating it with {@code num.partitions} when auto-creation is on.
     *
     * @throws UnknownTopicOrPartitionException when it does not exist and auto-creation is off
     */
    public TopicInfo getOrAutoCreate(String name) {
        TopicInfo t = topics.get(name);
        if (t != null) {
            return t;
        }
        if (!autoCreateEnabled()) {
            throw new UnknownTopicOrPartitionException(
                    "Topic " + name + " does not exist and auto.create.topics.enable is false");
        }
        synchronized (this) {
            t = topics.get(name);
            return t != null ? t : create(name, -1, Map.of(), false);
        }
    }

    public boolean autoCreateEnabled() {
        String dyn = brokerDynamic.get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE);
        return dyn != null ? Boolean.parseBoolean(dyn) : staticConfig.autoCreateTopics();
    }

    /**
     * Creates a topic.
     *
     * @param partitionCount -1 for {@code num.partitions}
     * @param validateOnly check everything, change nothing
     */
    public synchronized TopicInfo create(
            String name, int partitionCount, Map<String, String> configs, boolean validateOnly) {
        TopicNames.validate(name);
        if (topics.containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        int count = partitionCount == -1 ? staticConfig.numPartitions() : partitionCount;
        if (count <= 0) {
            throw new InvalidPartitionsException("Number of partitions must be larger than 0, got " + partitionCount);
        }
        UnavailableTopicConfigs.refuse(configs);
        ReplicationTopicConfigs.validate(configs);
        TopicInfo t = new TopicInfo(name, UUID.randomUUID(), count, configs);
        LogConfig cfg = logConfig(t); // validates the overrides
        if (validateOnly) {
            return t;
        }
        topics.put(name, t);
        persist();
        for (int p = 0; p < count; p++) {
            partitions.getOrCreate(new PartitionId(name, p), cfg);
        }
        log.info("Created topic {} with {} partitions and configs {}", name, count, configs);
        return t;
    }

    public synchronized void delete(String name) {
        TopicInfo t = topics.get(name);
        if (t == null) {
            throw new UnknownTopicOrPartitionException("Topic " + name + " does not exist");
        }
        if (TopicNames.isProtectedFromDeletion(name)) {
            // Deleting __consumer_offsets (or the registry's _schemas) would leave the broker's own
            // services without their store: every later OffsetCommit fails until a restart.
            throw new InvalidRequestException(
                    "Topic " + name + " is an internal topic of the broker and cannot be deleted");
        }
        topics.remove(name);
        persist();
        for (int p = 0; p < t.partitions(); p++) {
            partitions.delete(new PartitionId(name, p));
        }
        log.info("Deleted topic {}", name);
    }

    public synchronized TopicInfo createPartitions(String name, int newCount, boolean validateOnly) {
        TopicInfo t = topics.get(name);
        if (t == null) {
            throw new UnknownTopicOrPartitionException("Topic " + name + " does not exist");
        }
        if (newCount <= t.partitions()) {
            throw new InvalidPartitionsException("Topic " + name + " has " + t.partitions()
                    + " partitions; the new count " + newCount + " must be larger");
        }
        TopicInfo grown = t.withPartitions(newCount);
        if (validateOnly) {
            return grown;
        }
        topics.put(name, grown);
        persist();
        LogConfig cfg = logConfig(grown);
        for (int p = t.partitions(); p < newCount; p++) {
            partitions.getOrCreate(new PartitionId(name, p), cfg);
        }
        return grown;
    }

    /** Replaces a topic's overrides (IncrementalAlterConfigs computes the new set). */
    public synchronized void setTopicConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        TopicInfo t = topics.get(name);
        if (t == null) {
            throw new UnknownTopicOrPartitionException("Topic " + name + " does not exist");
        }
        TopicInfo changed = t.withConfigs(overrides);
        LogConfig cfg = logConfig(changed);
        if (validateOnly) {
            return;
        }
        topics.put(name, changed);
        persist();
        for (int p = 0; p < t.partitions(); p++) {
            partitions.updateConfig(new PartitionId(name, p), cfg);
        }
    }

    /** Dynamic broker configs: {@code log.*} defaults and {@code auto.create.topics.enable}. */
    public Map<String, String> brokerDynamicConfigs() {
        return brokerDynamic;
    }

    public synchronized void setBrokerConfigs(Map<String, String> dynamic, boolean validateOnly) {
        for (String key : dynamic.keySet()) {
            if (!BrokerConfig.TOPIC_SYNONYMS.containsKey(key) && !BrokerConfig.DYNAMIC_KEYS.contains(key)) {
                throw new InvalidConfigException("Broker config " + key + " cannot be changed while the broker runs;"
                        + " dynamic keys are " + new java.util.TreeSet<>(BrokerConfig.DYNAMIC_KEYS) + " and "
                        + BrokerConfig.TOPIC_SYNONYMS.keySet());
            }
            if (key.endsWith(".replication.throttled.rate")) {
                ReplicationThrottle.rate(key, dynamic.get(key));
            }
        }
        String auto = dynamic.get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE);
        if (auto != null && !auto.equalsIgnoreCase("true") && !auto.equalsIgnoreCase("false")) {
            throw new InvalidConfigException(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE, auto, "expected true or false");
        }
        Map<String, String> previous = brokerDynamic;
        brokerDynamic = Map.copyOf(dynamic);
        try {
            topicDefaults(); // validates
        } catch (RuntimeException e) {
            brokerDynamic = previous;
            throw e;
        }
        if (validateOnly) {
            brokerDynamic = previous;
            return;
        }
        persist();
        for (TopicInfo t : topics.values()) {
            LogConfig cfg = logConfig(t);
            for (int p = 0; p < t.partitions(); p++) {
                partitions.updateConfig(new PartitionId(t.name(), p), cfg);
            }
        }
    }

    /** Broker-wide topic defaults: static {@code log.*} keys, then dynamic ones. */
    public LogConfig topicDefaults() {
        Map<String, String> m = new TreeMap<>(staticConfig.topicDefaults());
        BrokerConfig.withDynamic(m, brokerDynamic);
        return toLogConfig(m, false);
    }

    /** The effective config of a topic: broker defaults with the topic's overrides. */
    public LogConfig logConfig(TopicInfo t) {
        return logConfig(t.configs());
    }

    /** Broker defaults with {@code overrides}; throws {@code InvalidConfigException} for a bad override. */
    public LogConfig logConfig(Map<String, String> overrides) {
        try {
            return topicDefaults().withOverrides(overrides);
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    private static LogConfig toLogConfig(Map<String, String> m, boolean topicLevel) {
        try {
            return LogConfig.fromMap(m);
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    private void persist() {
        try {
            store.save(new MetadataStore.Snapshot(clusterId, new TreeMap<>(topics), new TreeMap<>(brokerDynamic)));
        } catch (IOException e) {
            throw new StorageException("Could not write " + store.file() + ": " + e.getMessage(), e);
        }
    }
}
