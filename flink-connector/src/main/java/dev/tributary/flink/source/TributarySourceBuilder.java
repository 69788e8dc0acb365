package dev.tributary.flink.source;

import dev.tributary.flink.source.enumerator.EnumeratorSettings;
import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.flink.source.enumerator.Subscription;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds a {@link TributarySource}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><td>subscription</td><td>exactly one of {@link #setTopics}, {@link #setTopicPattern},
 *       {@link #setPartitions}</td><td>required</td></tr>
 *   <tr><td>{@link #setStartingOffsets}</td><td>earliest, latest, committed(fallback), timestamp,
 *       offsets</td><td>earliest</td></tr>
 *   <tr><td>{@link #setBounded} / {@link #setUnbounded}</td><td>stop at latest, a timestamp, offsets or
 *       committed; bounded makes the job a batch-able backfill</td><td>never stop</td></tr>
 *   <tr><td>{@link #setPartitionDiscoveryInterval}</td><td>new partitions start at earliest</td>
 *       <td>5 min when unbounded without a stop; off otherwise</td></tr>
 *   <tr><td>{@link #setBackfillSplitSize}</td><td>cut bounded ranges into pieces of this many offsets
 *       for parallel reading (turns off group commits)</td><td>off</td></tr>
 *   <tr><td>{@link #setCommitOffsetsOnCheckpoint}</td><td>commit to {@code group.id} on checkpoint
 *       completion</td><td>true when a group id is set</td></tr>
 *   <tr><td>{@link #setFailOnDataLoss}</td><td>fail, or count in {@code dataLossRecords} and continue,
 *       when retention deleted offsets the job still needed</td><td>true</td></tr>
 *   <tr><td>{@link #setPartitionIdleTimeout}</td><td>a partition with no records for this long is marked
 *       idle so it does not hold back the watermark; zero turns it off</td><td>10 s</td></tr>
 * </table>
 */
public final class TributarySourceBuilder<T> {

    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final Properties props = new Properties();
    private Subscription subscription;
    private OffsetsInitializer start = OffsetsInitializer.earliest();
    private OffsetsInitializer stop;
    private boolean bounded;
    private Duration discoveryInterval;
    private long backfillSplitSize;
    private Boolean commitOffsetsOnCheckpoint;
    private boolean failOnDataLoss = true;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private TributaryRecordDeserializationSchema<T> deserializer;

    TributarySourceBuilder() {}

    public TributarySourceBuilder<T> setBootstrapServers(String servers) {
        return setProperty("bootstrap.servers", servers);
    }

    public TributarySourceBuilder<T> setGroupId(String groupId) {
        return setProperty("group.id", groupId);
    }

    /** Any Kafka client property (consumer and admin); {@code group.id} names the group to commit to. */
    public TributarySourceBuilder<T> setProperty(String key, String value) {
        props.setProperty(key, value);
        return this;
    }

    public TributarySourceBuilder<T> setProperties(Properties properties) {
        properties.stringPropertyNames().forEach(k -> props.setProperty(k, properties.getProperty(k)));
        return this;
    }

    public TributarySourceBuilder<T> setTopics(String... topics) {
        return setSubscription(Subscription.topics(Arrays.asList(topics)));
    }

    public TributarySourceBuilder<T> setTopicPattern(Pattern pattern) {
        return setSubscription(Subscription.pattern(pattern));
    }

    public TributarySourceBuilder<T> setPartitions(Set<TopicPartition> partitions) {
        return setSubscription(Subscription.partitions(partitions));
    }

    private TributarySourceBuilder<T> setSubscription(Subscription s) {
        if (subscription != null) {
            throw new IllegalStateException("subscription already set to " + subscription + "; use only one of "
                    + "setTopics, setTopicPattern, setPartitions");
        }
        subscription = s;
        return this;
    }

    public TributarySourceBuilder<T> setStartingOffsets(OffsetsInitializer start) {
        this.start = Objects.requireNonNull(start, "start");
        return this;
    }

    /** A bounded source: every split ends at {@code stop}, and the job finishes. */
    public TributarySourceBuilder<T> setBounded(OffsetsInitializer stop) {
        this.stop = Objects.requireNonNull(stop, "stop");
        this.bounded = true;
        return this;
    }

    /**
     * A streaming source that stops: splits end at {@code stop}, and the source finishes once all of them
     * have (unless partition discovery is on). A timestamp stop waits for a record at or after it.
     */
    public TributarySourceBuilder<T> setUnbounded(OffsetsInitializer stop) {
        this.stop = Objects.requireNonNull(stop, "stop");
        this.bounded = false;
        return this;
    }

    public TributarySourceBuilder<T> setPartitionDiscoveryInterval(Duration interval) {
        this.discoveryInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    public TributarySourceBuilder<T> setBackfillSplitSize(long offsetsPerSplit) {
        if (offsetsPerSplit < 0) {
            throw new IllegalArgumentException("backfill split size must be >= 0, got " + offsetsPerSplit);
        }
        this.backfillSplitSize = offsetsPerSplit;
        return this;
    }

    public TributarySourceBuilder<T> setCommitOffsetsOnCheckpoint(boolean commit) {
        this.commitOffsetsOnCheckpoint = commit;
        return this;
    }

    public TributarySourceBuilder<T> setFailOnDataLoss(boolean fail) {
        this.failOnDataLoss = fail;
        return this;
    }

    public TributarySourceBuilder<T> setPartitionIdleTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must be >= 0, got " + timeout);
        }
        this.idleTimeout = timeout;
        return this;
    }

    public TributarySourceBuilder<T> setDeserializer(TributaryRecordDeserializationSchema<T> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        return this;
    }

    public TributarySourceBuilder<T> setValueOnlyDeserializer(DeserializationSchema<T> valueSchema) {
        return setDeserializer(TributaryRecordDeserializationSchema.valueOnly(valueSchema));
    }

    public TributarySource<T> build() {
        if (props.getProperty("bootstrap.servers") == null) {
            throw new IllegalStateException("bootstrap.servers is required: call setBootstrapServers");
        }
        if (subscription == null) {
            throw new IllegalStateException("no subscription: call setTopics, setTopicPattern or setPartitions");
        }
        if (deserializer == null) {
            throw new IllegalStateException("no deserializer: call setDeserializer or setValueOnlyDeserializer");
        }
        String groupId = props.getProperty("group.id");
        boolean usesCommitted =
                start instanceof OffsetsInitializer.Committed || stop instanceof OffsetsInitializer.Committed;
        if (usesCommitted && groupId == null) {
            throw new IllegalStateException("committed offsets need a consumer group: call setGroupId");
        }
        long discoveryMs;
        if (bounded) {
            discoveryMs = 0; // a bounded job reads what exists when it starts
        } else if (discoveryInterval != null) {
            discoveryMs = discoveryInterval.toMillis();
        } else {
            discoveryMs = stop == null ? DEFAULT_DISCOVERY_INTERVAL.toMillis() : 0;
        }
        boolean commit = commitOffsetsOnCheckpoint != null ? commitOffsetsOnCheckpoint : groupId != null;
        if (commit && groupId == null) {
            throw new IllegalStateException(
                    "committing offsets on checkpoints needs a consumer group: call setGroupId");
        }
        // Pieces of one partition finish out of order, so no single offset says how far the group got.
        if (backfillSplitSize > 0 && bounded) {
            commit = false;
        }
        Properties copy = new Properties();
        copy.putAll(props);
        EnumeratorSettings settings = new EnumeratorSettings(
                subscription, start, stop, bounded, discoveryMs, backfillSplitSize, copy, groupId);
        return new TributarySource<>(settings, deserializer, copy, groupId, commit, failOnDataLoss, idleTimeout);
    }
}
