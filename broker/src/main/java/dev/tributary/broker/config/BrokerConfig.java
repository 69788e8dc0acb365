package dev.tributary.broker.config;

import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.log.ConfigException;
import dev.tributary.log.cleaner.CleanerConfig;
import dev.tributary.metadata.quorum.QuorumConfig;
import dev.tributary.metadata.quorum.QuorumVoters;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Broker settings, with Kafka's names, and the one parser of them. Immutable; built from
 * {@code --config FILE}, {@code --set k=v} and the CLI's {@code --listen}/{@code --data-dir}.
 *
 * <p>Every package reads its settings through the typed getters ({@link #getInt}, {@link #getLong},
 * {@link #getMs}, {@link #getDouble}, {@link #getBoolean}, {@link #getList}); a value that does not
 * parse or is out of bounds throws {@link InvalidConfigException} naming the key and the value. The
 * keys the broker knows are listed here ({@link #KNOWN_KEYS}; a plugin names its own), so that a key
 * nobody reads is reported by {@link #unknownKeys} instead of being silently taken.
 *
 * <p>The {@code log.*} keys are the broker-wide defaults of topic configs; {@link #TOPIC_SYNONYMS}
 * maps each to its topic-level name.
 */
public final class BrokerConfig {
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String NODE_ID = "node.id";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String BACKGROUND_THREADS = "background.threads";

    // read by dev.tributary.broker.group
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    /** Partitions of {@code __consumer_offsets} on a cluster node (Kafka's name and default, 50). */
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    /** Replicas of each {@code __consumer_offsets} partition on a cluster node (Kafka's name and default, 3). */
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    /** How long an offset commit waits for the ISR to replicate it (Kafka's name and default, 5000 ms). */
    public static final String OFFSETS_COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";

    // read by dev.tributary.broker.producer
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    /** Our own key: how often changed producer state is snapshotted. */
    public static final String PRODUCER_STATE_SNAPSHOT_INTERVAL_MS = "producer.state.snapshot.interval.ms";

    // read by dev.tributary.broker.cluster: a node is part of a cluster when node.id and the voters are set
    public static final String CONTROLLER_QUORUM_VOTERS = QuorumVoters.CONFIG;
    /**
     * Our own key, read only on a broker-only node (a {@code node.id} not among the voters): {@code host:port}
     * where its copy of the metadata log listens for the voters. Default: the listener's host (the advertised
     * one if set) at the Kafka port + 1.
     */
    public static final String CONTROLLER_QUORUM_OBSERVER_ADDRESS = "controller.quorum.observer.address";

    public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final long DEFAULT_BROKER_HEARTBEAT_INTERVAL_MS = 2000;
    public static final long DEFAULT_BROKER_SESSION_TIMEOUT_MS = 9000;
    /** The replication factor of topics created without one in a cluster (Kafka's name; default 1). */
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    /** {@code acks=all} needs this many replicas in the ISR (Kafka's name; a topic may override it). */
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    /** A follower not caught up for this long leaves the ISR (Kafka's name and default, 30 s). */
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";

    /** The replication throttle's rates in bytes per second (Kafka's names; dynamic per broker; unlimited). */
    public static final String LEADER_REPLICATION_THROTTLED_RATE = "leader.replication.throttled.rate";

    public static final String FOLLOWER_REPLICATION_THROTTLED_RATE = "follower.replication.throttled.rate";

    /** Broker settings that change while the broker runs, besides the topic defaults. */
    public static final Set<String> DYNAMIC_KEYS =
            Set.of("auto.create.topics.enable", LEADER_REPLICATION_THROTTLED_RATE, FOLLOWER_REPLICATION_THROTTLED_RATE);

    public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    public static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    public static final String REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS =
            "replica.high.watermark.checkpoint.interval.ms";

    /** Kafka's coarser synonyms of {@code log.retention.ms} and {@code log.roll.ms}. */
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";

    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";

    /** Broker-level default name -> topic-level config name (Kafka's synonyms). */
    public static final Map<String, String> TOPIC_SYNONYMS;

    /** Broker keys with their defaults, in the order DescribeConfigs lists them. */
    public static final Map<String, String> DEFAULTS;

    /** Every key the broker itself reads (plugins add theirs, see {@link #unknownKeys}). */
    public static final Set<String> KNOWN_KEYS;

    static {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("log.segment.bytes", "segment.bytes");
        s.put("log.roll.ms", "segment.ms");
        s.put("log.index.size.max.bytes", "segment.index.bytes");
        s.put("log.index.interval.bytes", "index.interval.bytes");
        s.put("log.retention.ms", "retention.ms");
        s.put("log.retention.bytes", "retention.bytes");
        s.put("log.flush.interval.messages", "flush.messages");
        s.put("log.flush.interval.ms", "flush.ms");
        s.put("log.message.timestamp.type", "message.timestamp.type");
        s.put("message.max.bytes", "max.message.bytes");
        s.put("log.segment.delete.delay.ms", "file.delete.delay.ms");
        s.put("log.cleanup.policy", "cleanup.policy");
        s.put("log.cleaner.min.cleanable.ratio", "min.cleanable.dirty.ratio");
        s.put("log.cleaner.delete.retention.ms", "delete.retention.ms");
        s.put("log.cleaner.min.compaction.lag.ms", "min.compaction.lag.ms");
        s.put("log.cleaner.max.compaction.lag.ms", "max.compaction.lag.ms");
        TOPIC_SYNONYMS = Collections.unmodifiableMap(s);

        Map<String, String> d = new LinkedHashMap<>();
        d.put(LISTENERS, "PLAINTEXT://127.0.0.1:9092");
        d.put(ADVERTISED_LISTENERS, "");
        d.put(NODE_ID, "0");
        d.put(LOG_DIRS, "./data");
        d.put(SOCKET_REQUEST_MAX_BYTES, Integer.toString(100 * 1024 * 1024));
        d.put(NUM_NETWORK_THREADS, "2");
        d.put(NUM_IO_THREADS, "4");
        d.put(AUTO_CREATE_TOPICS_ENABLE, "true");
        d.put(NUM_PARTITIONS, "1");
        d.put(DELETE_TOPIC_ENABLE, "true");
        d.put(LOG_RETENTION_CHECK_INTERVAL_MS, "300000");
        // Kafka's default is Long.MAX_VALUE; a 1 s check is cheap and makes flush.ms work.
        d.put(LOG_FLUSH_SCHEDULER_INTERVAL_MS, "1000");
        d.put(BACKGROUND_THREADS, "2");
        DEFAULTS = Collections.unmodifiableMap(d);

        Set<String> k = new LinkedHashSet<>(DEFAULTS.keySet());
        k.addAll(TOPIC_SYNONYMS.keySet());
        k.addAll(List.of(
                LOG_DIR,
                LOG_RETENTION_MINUTES,
                LOG_RETENTION_HOURS,
                LOG_ROLL_HOURS,
                CleanerConfig.ENABLE,
                CleanerConfig.THREADS,
                CleanerConfig.DEDUPE_BUFFER_SIZE,
                CleanerConfig.IO_BUFFER_SIZE,
                CleanerConfig.IO_MAX_BYTES_PER_SECOND,
                CleanerConfig.LOAD_FACTOR,
                CleanerConfig.BACKOFF_MS,
                GROUP_MIN_SESSION_TIMEOUT_MS,
                GROUP_MAX_SESSION_TIMEOUT_MS,
                GROUP_INITIAL_REBALANCE_DELAY_MS,
                GROUP_MAX_SIZE,
                OFFSET_METADATA_MAX_BYTES,
                OFFSETS_RETENTION_MINUTES,
                OFFSETS_RETENTION_CHECK_INTERVAL_MS,
                OFFSETS_TOPIC_NUM_PARTITIONS,
                OFFSETS_TOPIC_REPLICATION_FACTOR,
                OFFSETS_COMMIT_TIMEOUT_MS,
                PRODUCER_ID_EXPIRATION_MS,
                PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
                PRODUCER_STATE_SNAPSHOT_INTERVAL_MS,
                CONTROLLER_QUORUM_VOTERS,
                CONTROLLER_QUORUM_OBSERVER_ADDRESS,
                BROKER_HEARTBEAT_INTERVAL_MS,
                BROKER_SESSION_TIMEOUT_MS,
                DEFAULT_REPLICATION_FACTOR,
                MIN_INSYNC_REPLICAS,
                REPLICA_LAG_TIME_MAX_MS,
                REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS,
                AUTO_LEADER_REBALANCE_ENABLE,
                LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS,
                LEADER_REPLICATION_THROTTLED_RATE,
                FOLLOWER_REPLICATION_THROTTLED_RATE));
        KNOWN_KEYS = Collections.unmodifiableSet(k);
    }

    private final Map<String, String> raw;

    private BrokerConfig(Map<String, String> raw) {
        this.raw = Collections.unmodifiableMap(new TreeMap<>(raw));
        // validate eagerly so a bad --set fails at start, naming key and value
        listen();
        advertised();
        nodeId();
        socketRequestMaxBytes();
        networkThreads();
        ioThreads();
        autoCreateTopics();
        numPartitions();
        deleteTopicEnable();
        retentionCheckIntervalMs();
        flushSchedulerIntervalMs();
        backgroundThreads();
        topicDefaults();
        if (clusterMode()) {
            // read by cluster nodes only
            defaultReplicationFactor();
            offsetsTopicNumPartitions();
            offsetsTopicReplicationFactor();
            offsetsCommitTimeoutMs();
            if (!isQuorumVoter()) {
                quorumObserverAddress(); // read by broker-only nodes only
            }
        }
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(Map.of());
    }

    public static BrokerConfig fromMap(Map<String, String> values) {
        return new BrokerConfig(values);
    }

    /** Only the values that were set explicitly. */
    public Map<String, String> raw() {
        return raw;
    }

    /** The value set, else the broker default of {@link #DEFAULTS}, else null. */
    public String get(String key) {
        String v = raw.get(key);
        return v != null ? v : DEFAULTS.get(key);
    }

    public boolean isSet(String key) {
        return raw.containsKey(key);
    }

    /**
     * The keys that were set but that neither the broker nor a plugin reads, sorted. Kafka logs such
     * keys as "supplied but isn't a known config"; so does {@code Broker} at start.
     */
    public List<String> unknownKeys(Collection<String> pluginKeys) {
        List<String> unknown = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!KNOWN_KEYS.contains(key) && !pluginKeys.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    // ---- typed getters: the value set, else defaultValue; bounds are inclusive ----

    public int getInt(String key, int defaultValue, int min, int max) {
        String v = raw.get(key);
        return v == null ? defaultValue : (int) ConfigValues.parseLong(key, v, min, max, "");
    }

    public long getLong(String key, long defaultValue, long min, long max) {
        String v = raw.get(key);
        return v == null ? defaultValue : ConfigValues.parseLong(key, v, min, max, "");
    }

    /** A duration in milliseconds; the message of a bad value says "ms". */
    public long getMs(String key, long defaultMs, long minMs, long maxMs) {
        String v = raw.get(key);
        return v == null ? defaultMs : ConfigValues.parseLong(key, v, minMs, maxMs, " ms");
    }

    public double getDouble(String key, double defaultValue, double min, double max) {
        String v = raw.get(key);
        return v == null ? defaultValue : ConfigValues.parseDouble(key, v, min, max);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = raw.get(key);
        return v == null ? defaultValue : ConfigValues.parseBoolean(key, v);
    }

    /** A comma-separated list, entries trimmed, empty entries dropped. */
    public List<String> getList(String key, List<String> defaultValue) {
        String v = raw.get(key);
        return v == null ? defaultValue : ConfigValues.parseList(v);
    }

    // the broker's own keys; their defaults are in DEFAULTS

    private int ownInt(String key, int min) {
        return (int) ConfigValues.parseLong(key, get(key), min, Integer.MAX_VALUE, "");
    }

    private long ownMs(String key, long minMs) {
        return ConfigValues.parseLong(key, get(key), minMs, Long.MAX_VALUE, " ms");
    }

    /** The address to bind: the first entry of {@code listeners}. */
    public InetSocketAddress listen() {
        return parseListener(LISTENERS, get(LISTENERS));
    }

    /** The address Metadata advertises: {@code advertised.listeners} if set, else the bound address. */
    public InetSocketAddress advertised() {
        String v = get(ADVERTISED_LISTENERS);
        return v == null || v.isBlank() ? null : parseListener(ADVERTISED_LISTENERS, v);
    }

    /** The data directory: {@code log.dir} if set, else the first entry of {@code log.dirs}. */
    public Path dataDir() {
        String key = raw.containsKey(LOG_DIR) ? LOG_DIR : LOG_DIRS;
        List<String> dirs = ConfigValues.parseList(get(key));
        if (dirs.isEmpty()) {
            throw new InvalidConfigException(key, get(key), "no directory given");
        }
        return Path.of(dirs.get(0));
    }

    public int nodeId() {
        return ownInt(NODE_ID, 0);
    }

    /**
     * The metadata quorum's voters ({@code controller.quorum.voters}, Kafka's syntax {@code id@host:port,...}),
     * empty when not set. When set, {@code node.id} must be set too: a node listed there is a voter, any other
     * node a broker-only node that follows the voters' log ({@link #isQuorumVoter()}).
     */
    public QuorumVoters quorumVoters() {
        String value = raw.get(CONTROLLER_QUORUM_VOTERS);
        QuorumVoters voters;
        try {
            voters = QuorumVoters.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(CONTROLLER_QUORUM_VOTERS, value, e.getMessage());
        }
        if (voters.isEmpty()) {
            return voters;
        }
        if (!raw.containsKey(NODE_ID)) {
            throw new InvalidConfigException(NODE_ID + " is not set, but " + CONTROLLER_QUORUM_VOTERS + " is (" + voters
                    + "): set " + NODE_ID + " to this node's id among the voters, or to an id of its own for a"
                    + " broker-only node");
        }
        return voters;
    }

    /**
     * True for a cluster node listed in {@code controller.quorum.voters} (Kafka's controller and broker in one
     * process); false for a broker-only node, which runs no voter and observes the quorum, and for a single
     * node.
     */
    public boolean isQuorumVoter() {
        return quorumVoters().voter(nodeId()).isPresent();
    }

    /**
     * Where a broker-only node's copy of the metadata log listens ({@value #CONTROLLER_QUORUM_OBSERVER_ADDRESS}):
     * the voters dial it to send the log, so it must be reachable from them and stay the same across restarts.
     * Unset, it is the host of {@code advertised.listeners} (else of {@code listeners}) at the Kafka port + 1.
     */
    public QuorumConfig.Address quorumObserverAddress() {
        String value = raw.get(CONTROLLER_QUORUM_OBSERVER_ADDRESS);
        if (value != null && !value.isBlank()) {
            InetSocketAddress a = parseListener(CONTROLLER_QUORUM_OBSERVER_ADDRESS, value);
            if (a.getPort() == 0 || isWildcard(a.getHostString())) {
                throw new InvalidConfigException(
                        CONTROLLER_QUORUM_OBSERVER_ADDRESS,
                        value,
                        "the voters dial this address: give a host they can reach and a fixed port");
            }
            return new QuorumConfig.Address(a.getHostString(), a.getPort());
        }
        InetSocketAddress kafka = advertised() != null ? advertised() : listen();
        if (kafka.getPort() == 0 || kafka.getPort() == 65535 || isWildcard(kafka.getHostString())) {
            throw new InvalidConfigException(CONTROLLER_QUORUM_OBSERVER_ADDRESS + " is not set and cannot be derived"
                    + " from the Kafka listener " + kafka.getHostString() + ":" + kafka.getPort() + ": set it to the"
                    + " host:port where this broker-only node receives the metadata log from the voters");
        }
        return new QuorumConfig.Address(kafka.getHostString(), kafka.getPort() + 1);
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** True when this node runs as part of a cluster: both {@code node.id} and the voters are set. */
    public boolean clusterMode() {
        boolean cluster = !quorumVoters().isEmpty();
        if (cluster && brokerHeartbeatIntervalMs() >= brokerSessionTimeoutMs()) {
            throw new InvalidConfigException(
                    BROKER_HEARTBEAT_INTERVAL_MS,
                    Long.toString(brokerHeartbeatIntervalMs()),
                    "must be less than " + BROKER_SESSION_TIMEOUT_MS + " (" + brokerSessionTimeoutMs() + " ms)");
        }
        return cluster;
    }

    /** How often a cluster node heartbeats to the quorum (Kafka's {@code broker.heartbeat.interval.ms}). */
    public long brokerHeartbeatIntervalMs() {
        return getMs(BROKER_HEARTBEAT_INTERVAL_MS, DEFAULT_BROKER_HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE);
    }

    /** A node whose last heartbeat is older than this is fenced (Kafka's {@code broker.session.timeout.ms}). */
    public long brokerSessionTimeoutMs() {
        return getMs(BROKER_SESSION_TIMEOUT_MS, DEFAULT_BROKER_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
    }

    /** The replication factor of a topic created without one ({@code default.replication.factor}, default 1). */
    public int defaultReplicationFactor() {
        return get(DEFAULT_REPLICATION_FACTOR) == null ? 1 : ownInt(DEFAULT_REPLICATION_FACTOR, 1);
    }

    /** How many partitions a cluster node creates {@code __consumer_offsets} with (default 50, as Kafka). */
    public int offsetsTopicNumPartitions() {
        return getInt(OFFSETS_TOPIC_NUM_PARTITIONS, 50, 1, Integer.MAX_VALUE);
    }

    /**
     * The replication factor a cluster node creates {@code __consumer_offsets} with (default 3, as Kafka). As in
     * Kafka since 0.11 it is not lowered to fit a smaller cluster: until that many brokers are live the topic is
     * not created and FindCoordinator answers {@code COORDINATOR_NOT_AVAILABLE}.
     */
    public int offsetsTopicReplicationFactor() {
        return getInt(OFFSETS_TOPIC_REPLICATION_FACTOR, 3, 1, Short.MAX_VALUE);
    }

    /** How long a cluster node's offset commit waits for the ISR (default 5000 ms, as Kafka). */
    public long offsetsCommitTimeoutMs() {
        return getMs(OFFSETS_COMMIT_TIMEOUT_MS, 5_000L, 1, Integer.MAX_VALUE);
    }

    /** The cluster's {@code min.insync.replicas} (default 1), unless a topic overrides it. */
    public int minInsyncReplicas() {
        return get(MIN_INSYNC_REPLICAS) == null ? 1 : ownInt(MIN_INSYNC_REPLICAS, 1);
    }

    public long replicaLagTimeMaxMs() {
        return getMs(REPLICA_LAG_TIME_MAX_MS, 30_000L, 1, Integer.MAX_VALUE);
    }

    /** Whether leadership moves back to preferred replicas by itself (Kafka's name and default, true). */
    public boolean autoLeaderRebalanceEnable() {
        return getBoolean(AUTO_LEADER_REBALANCE_ENABLE, true);
    }

    public long leaderImbalanceCheckIntervalMs() {
        return 1000L
                * (get(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) == null
                        ? 300
                        : ownInt(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, 1));
    }

    /** How often a cluster node writes its replicas' high watermarks (Kafka's name and default, 5 s). */
    public long replicaHighWatermarkCheckpointIntervalMs() {
        return getMs(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, 5_000L, 1, Integer.MAX_VALUE);
    }

    public int socketRequestMaxBytes() {
        return ownInt(SOCKET_REQUEST_MAX_BYTES, 64);
    }

    public int networkThreads() {
        return ownInt(NUM_NETWORK_THREADS, 1);
    }

    public int ioThreads() {
        return ownInt(NUM_IO_THREADS, 1);
    }

    public boolean autoCreateTopics() {
        return ConfigValues.parseBoolean(AUTO_CREATE_TOPICS_ENABLE, get(AUTO_CREATE_TOPICS_ENABLE));
    }

    public int numPartitions() {
        return ownInt(NUM_PARTITIONS, 1);
    }

    public boolean deleteTopicEnable() {
        return ConfigValues.parseBoolean(DELETE_TOPIC_ENABLE, get(DELETE_TOPIC_ENABLE));
    }

    public long retentionCheckIntervalMs() {
        return ownMs(LOG_RETENTION_CHECK_INTERVAL_MS, 1);
    }

    public long flushSchedulerIntervalMs() {
        return ownMs(LOG_FLUSH_SCHEDULER_INTERVAL_MS, 1);
    }

    public int backgroundThreads() {
        return ownInt(BACKGROUND_THREADS, 1);
    }

    /** The log cleaner's settings ({@code log.cleaner.*}); core-log checks how they fit together. */
    public CleanerConfig cleanerConfig() {
        CleanerConfig d = CleanerConfig.defaults();
        try {
            return new CleanerConfig(
                    getBoolean(CleanerConfig.ENABLE, d.enabled()),
                    getInt(CleanerConfig.THREADS, d.threads(), 1, Integer.MAX_VALUE),
                    getLong(CleanerConfig.DEDUPE_BUFFER_SIZE, d.dedupeBufferSize(), 1, Long.MAX_VALUE),
                    getInt(CleanerConfig.IO_BUFFER_SIZE, d.ioBufferSize(), 1024, Integer.MAX_VALUE),
                    getDouble(
                            CleanerConfig.IO_MAX_BYTES_PER_SECOND,
                            d.ioMaxBytesPerSecond(),
                            Double.MIN_VALUE,
                            Double.MAX_VALUE),
                    getDouble(CleanerConfig.LOAD_FACTOR, d.loadFactor(), Double.MIN_VALUE, 0.95),
                    getMs(CleanerConfig.BACKOFF_MS, d.backoffMs(), 0, Long.MAX_VALUE));
        } catch (ConfigException e) {
            // a combination core-log refuses, e.g. a dedupe buffer too small for the number of threads
            String prefix = "Invalid value '" + e.value() + "' for configuration " + e.key() + ": ";
            String reason =
                    e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            throw new InvalidConfigException(e.key(), e.value(), reason);
        }
    }

    /** The topic-level defaults set at broker level ({@code log.retention.ms=...} -> {@code retention.ms}). */
    public Map<String, String> topicDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : TOPIC_SYNONYMS.entrySet()) {
            String v = raw.get(e.getKey());
            if (v != null) {
                m.put(e.getValue(), v);
            }
        }
        // Kafka's coarser synonyms, used only when the finer one is absent
        synonym(m, "retention.ms", LOG_RETENTION_MINUTES, 60_000L);
        synonym(m, "retention.ms", LOG_RETENTION_HOURS, 3_600_000L);
        synonym(m, "segment.ms", LOG_ROLL_HOURS, 3_600_000L);
        return m;
    }

    private void synonym(Map<String, String> m, String topicKey, String brokerKey, long unitMs) {
        if (raw.containsKey(brokerKey) && !m.containsKey(topicKey)) {
            long n = getLong(brokerKey, 0, Long.MIN_VALUE, Long.MAX_VALUE / unitMs);
            m.put(topicKey, Long.toString(n < 0 ? -1 : n * unitMs));
        }
    }

    /** Applies dynamic broker keys ({@code log.retention.ms} ...) onto topic-level defaults. */
    public static void withDynamic(Map<String, String> topicDefaults, Map<String, String> dynamic) {
        for (Map.Entry<String, String> e : dynamic.entrySet()) {
            String topicKey = TOPIC_SYNONYMS.get(e.getKey());
            if (topicKey != null) {
                topicDefaults.put(topicKey, e.getValue());
            }
        }
    }

    static InetSocketAddress parseListener(String key, String value) {
        List<String> listeners = ConfigValues.parseList(value);
        if (listeners.isEmpty()) {
            throw new InvalidConfigException(key, value, "expected HOST:PORT");
        }
        String v = listeners.get(0);
        int scheme = v.indexOf("://");
        if (scheme >= 0) {
            v = v.substring(scheme + 3);
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidConfigException(key, value, "expected HOST:PORT");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new InvalidConfigException(key, value, "bad port");
        }
        return InetSocketAddress.createUnresolved(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    /** Every broker key DescribeConfigs lists: ours plus the log.* defaults. */
    public static List<String> describedKeys() {
        List<String> keys = new ArrayList<>(DEFAULTS.keySet());
        keys.addAll(TOPIC_SYNONYMS.keySet());
        keys.add(LEADER_REPLICATION_THROTTLED_RATE);
        keys.add(FOLLOWER_REPLICATION_THROTTLED_RATE);
        return keys;
    }

    @Override
    public String toString() {
        return "BrokerConfig" + raw;
    }
}
