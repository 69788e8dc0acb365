package dev.tributary.broker.config;

import dev.tributary.broker.errors.InvalidConfigException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Broker settings, with Kafka's names. Immutable; built from {@code --config FILE}, {@code --set k=v}
 * and the CLI's {@code --listen}/{@code --data-dir}. Keys this class does not know are kept in
 * {@link #raw()} so other packages (groups, producer state) can read their own keys.
 *
 * <p>The {@code log.*} keys are the broker-wide defaults of topic configs; {@link #TOPIC_SYNONYMS}
 * maps each to its topic-level name.
 */
public final class BrokerConfig {
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String NODE_ID = "node.id";
    public static final String LOG_DIRS = "log.dirs";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String BACKGROUND_THREADS = "background.threads";

    /** Broker-level default name -> topic-level config name (Kafka's synonyms). */
    public static final Map<String, String> TOPIC_SYNONYMS;

    /** Broker keys with their defaults, in the order DescribeConfigs lists them. */
    public static final Map<String, String> DEFAULTS;

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
        retentionCheckIntervalMs();
        flushSchedulerIntervalMs();
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(Map.of());
    }

    public static BrokerConfig fromMap(Map<String, String> values) {
        return new BrokerConfig(values);
    }

    public BrokerConfig with(String key, String value) {
        Map<String, String> m = new TreeMap<>(raw);
        m.put(key, value);
        return new BrokerConfig(m);
    }

    public BrokerConfig withAll(Map<String, String> values) {
        Map<String, String> m = new TreeMap<>(raw);
        m.putAll(values);
        return new BrokerConfig(m);
    }

    /** Only the values that were set explicitly. */
    public Map<String, String> raw() {
        return raw;
    }

    public String get(String key) {
        String v = raw.get(key);
        return v != null ? v : DEFAULTS.get(key);
    }

    public boolean isSet(String key) {
        return raw.containsKey(key);
    }

    public int getInt(String key, int min) {
        String v = get(key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new InvalidConfigException("Invalid value '" + v + "' for configuration " + key + ": must be at least " + min);
            }
            return n;
        } catch (NumberFormatException | NullPointerException e) {
            throw new InvalidConfigException("Invalid value '" + v + "' for configuration " + key + ": not an integer");
        }
    }

    public long getLong(String key, long min) {
        String v = get(key);
        try {
            long n = Long.parseLong(v.trim());
            if (n < min) {
                throw new InvalidConfigException("Invalid value '" + v + "' for configuration " + key + ": must be at least " + min);
            }
            return n;
        } catch (NumberFormatException | NullPointerException e) {
            throw new InvalidConfigException("Invalid value '" + v + "' for configuration " + key + ": not a number");
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key).trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidConfigException("Invalid value '" + v + "' for configuration " + key + ": expected true or false");
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

    public Path dataDir() {
        String v = raw.containsKey("log.dir") ? raw.get("log.dir") : get(LOG_DIRS);
        return Path.of(v.split(",")[0].trim());
    }

    public int nodeId() {
        return getInt(NODE_ID, 0);
    }

    public int socketRequestMaxBytes() {
        return getInt(SOCKET_REQUEST_MAX_BYTES, 64);
    }

    public int networkThreads() {
        return getInt(NUM_NETWORK_THREADS, 1);
    }

    public int ioThreads() {
        return getInt(NUM_IO_THREADS, 1);
    }

    public boolean autoCreateTopics() {
        return getBoolean(AUTO_CREATE_TOPICS_ENABLE);
    }

    public int numPartitions() {
        return getInt(NUM_PARTITIONS, 1);
    }

    public boolean deleteTopicEnable() {
        return getBoolean(DELETE_TOPIC_ENABLE);
    }

    public long retentionCheckIntervalMs() {
        return getLong(LOG_RETENTION_CHECK_INTERVAL_MS, 1);
    }

    public long flushSchedulerIntervalMs() {
        return getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS, 1);
    }

    public int backgroundThreads() {
        return getInt(BACKGROUND_THREADS, 1);
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
        synonym(m, "retention.ms", "log.retention.minutes", 60_000L);
        synonym(m, "retention.ms", "log.retention.hours", 3_600_000L);
        synonym(m, "segment.ms", "log.roll.hours", 3_600_000L);
        return m;
    }

    private void synonym(Map<String, String> m, String topicKey, String brokerKey, long unitMs) {
        String v = raw.get(brokerKey);
        if (v != null && !m.containsKey(topicKey)) {
            try {
                long n = Long.parseLong(v.trim());
                m.put(topicKey, Long.toString(n < 0 ? -1 : n * unitMs));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("Invalid value '" + v + "' for configuration " + brokerKey + ": not a number");
            }
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
        String v = value.split(",")[0].trim();
        int scheme = v.indexOf("://");
        if (scheme >= 0) {
            v = v.substring(scheme + 3);
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidConfigException("Invalid value '" + value + "' for configuration " + key + ": expected HOST:PORT");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(v.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(host.isEmpty() ? "0.0.0.0" : host, port);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("Invalid value '" + value + "' for configuration " + key + ": bad port");
        }
    }

    /** Every broker key DescribeConfigs lists: ours plus the log.* defaults. */
    public static List<String> describedKeys() {
        List<String> keys = new java.util.ArrayList<>(DEFAULTS.keySet());
        keys.addAll(TOPIC_SYNONYMS.keySet());
        return keys;
    }

    @Override
    public String toString() {
        return "BrokerConfig" + raw;
    }
}
