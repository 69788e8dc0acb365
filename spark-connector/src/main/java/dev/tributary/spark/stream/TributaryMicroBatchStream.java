package dev.tributary.spark.stream;

import dev.tributary.spark.Subscription;
import dev.tributary.spark.TributaryOptions;
import dev.tributary.spark.client.BrokerClient;
import dev.tributary.spark.offsets.AdmissionPlanner;
import dev.tributary.spark.offsets.DataLossPolicy;
import dev.tributary.spark.offsets.EndingCaps;
import dev.tributary.spark.offsets.MicroBatchPlanner;
import dev.tributary.spark.offsets.MicroBatchRanges;
import dev.tributary.spark.offsets.OffsetRange;
import dev.tributary.spark.offsets.OffsetRangeCalculator;
import dev.tributary.spark.offsets.OffsetSpec;
import dev.tributary.spark.offsets.OffsetSpecResolver;
import dev.tributary.spark.offsets.PartitionOffsets;
import dev.tributary.spark.offsets.SourceOffset;
import dev.tributary.spark.read.ExecutorLocations;
import dev.tributary.spark.read.TributaryInputPartition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * Structured Streaming source: the Spark-facing wiring. The decisions live in pure classes of
 * {@code offsets/}: {@link MicroBatchPlanner} chooses each batch's end (with {@link EndingCaps} for
 * {@code endingOffsets}/{@code endingTimestamp}/AvailableNow and {@link AdmissionPlanner} for the rate
 * limits), {@link MicroBatchRanges} turns a batch into offset ranges, and {@link DataLossPolicy} says what
 * happens to lost offsets ({@code failOnDataLoss}). This class asks the broker, keeps the checkpointed
 * initial position, and stops the query when the planner says the end is reached.
 *
 * <p>Positions are {@link SourceOffset}s (versioned JSON in the checkpoint). The initial position is
 * resolved once and saved beside the checkpoint, so a query restarted before its first batch does not
 * resolve "latest" again and skip records.
 */
public final class TributaryMicroBatchStream
        implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics {
    private final TributaryOptions options;
    private final Subscription subscription;
    private final String checkpointLocation;
    private final PartitionReaderFactory readerFactory;
    // time for maxTriggerDelay; the planner takes readings, so its tests need no clock
    private final Clock clock = Clock.systemUTC();
    private final DataLossPolicy dataLoss;
    private final EndingCaps caps;
    private final MicroBatchPlanner planner;

    private BrokerClient client;
    private RecordSizeSampler sampler;
    private boolean stopRequested;

    public TributaryMicroBatchStream(
            TributaryOptions options, String checkpointLocation, PartitionReaderFactory readerFactory) {
        this.options = options;
        this.subscription = options.subscription();
        this.checkpointLocation = checkpointLocation;
        this.readerFactory = readerFactory;
        this.dataLoss = new DataLossPolicy(options.failOnDataLoss());
        this.caps = new EndingCaps(options.endingSpec(null), options.get(TributaryOptions.ENDING_OFFSETS));
        this.planner = new MicroBatchPlanner(dataLoss, caps, clock.millis());
        options.bootstrapServers();
    }

    private BrokerClient client() {
        if (client == null) {
            client = new BrokerClient(options.clientParams());
        }
        return client;
    }

    @Override
    public Offset initialOffset() {
        InitialOffsetStore store = new InitialOffsetStore(checkpointLocation);
        SourceOffset saved = store.read();
        if (saved != null) {
            return saved;
        }
        List<TopicPartition> partitions = client().partitions(subscription, false);
        PartitionOffsets start = new OffsetSpecResolver(client())
                .resolveStart(
                        options.startingSpec(new OffsetSpec.Latest()), partitions, options.startingNoMatchStrategy());
        SourceOffset initial = new SourceOffset(start);
        store.write(initial);
        return initial;
    }

    @Override
    public Offset deserializeOffset(String json) {
        return SourceOffset.fromJson(json);
    }

    @Override
    public ReadLimit getDefaultReadLimit() {
        List<ReadLimit> limits = new ArrayList<>();
        if (options.maxOffsetsPerTrigger() > 0) {
            limits.add(ReadLimit.maxRows(options.maxOffsetsPerTrigger()));
        }
        if (options.maxBytesPerTrigger() > 0) {
            limits.add(ReadLimit.maxBytes(options.maxBytesPerTrigger()));
        }
        if (options.minOffsetsPerTrigger() > 0) {
            limits.add(ReadLimit.minRows(options.minOffsetsPerTrigger(), options.maxTriggerDelayMs()));
        }
        if (limits.isEmpty()) {
            return ReadLimit.allAvailable();
        }
        return limits.size() == 1 ? limits.get(0) : ReadLimit.compositeLimit(limits.toArray(new ReadLimit[0]));
    }

    @Override
    public void prepareForTriggerAvailableNow() {
        List<TopicPartition> partitions = client().partitions(subscription, false);
        caps.snapshotAvailableNow(PartitionOffsets.of(client().latest(partitions)));
    }

    @Override
    public Offset latestOffset() {
        throw new UnsupportedOperationException("latestOffset(Offset, ReadLimit) is used with admission control");
    }

    @Override
    public Offset latestOffset(Offset startOffset, ReadLimit limit) {
        PartitionOffsets start = offsetsOf(startOffset);
        List<TopicPartition> partitions = client().partitions(subscription, false);
        MicroBatchPlanner.Next next = planner.next(
                start,
                partitions,
                client(),
                AdmissionPlanner.of(limit, caps.availableNow()),
                clock.millis(),
                this::estimateRecordSizes);
        if (next.action() == MicroBatchPlanner.Action.RUN) {
            return new SourceOffset(next.end());
        }
        if (next.action() == MicroBatchPlanner.Action.END && !stopRequested) {
            stopRequested = true;
            QueryStopper.stopCurrentQuery("every partition has reached its end (" + caps + ")");
        }
        return startOffset;
    }

    private Map<TopicPartition, Double> estimateRecordSizes(PartitionOffsets from, PartitionOffsets until) {
        if (sampler == null) {
            sampler = new RecordSizeSampler(options.clientParams());
        }
        return sampler.estimate(from, until);
    }

    @Override
    public Offset reportLatestOffset() {
        return new SourceOffset(planner.latestSeen());
    }

    @Override
    public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
        PartitionOffsets start = offsetsOf(startOffset);
        PartitionOffsets end = offsetsOf(endOffset);
        PartitionOffsets logStart = PartitionOffsets.of(client().earliest(end.partitions()));
        List<OffsetRange> ranges = MicroBatchRanges.plan(start, end, logStart, dataLoss);
        return new OffsetRangeCalculator(options.minPartitions(), options.maxRecordsPerPartition())
                .plan(ranges, ExecutorLocations.sorted()).stream()
                        .map(TributaryInputPartition::new)
                        .toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return readerFactory;
    }

    @Override
    public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
        return planner.metrics(
                latestConsumedOffset.map(TributaryMicroBatchStream::offsetsOf).orElse(null));
    }

    /**
     * Our offsets from any {@link Offset} Spark hands back: ours, or (after a restart from a checkpoint, in
     * {@link #metrics}) Spark's {@code SerializedOffset} holding our JSON.
     */
    static PartitionOffsets offsetsOf(Offset offset) {
        return (offset instanceof SourceOffset ours ? ours : SourceOffset.fromJson(offset.json())).offsets();
    }

    @Override
    public void commit(Offset end) {
        // nothing to do: positions live in Spark's checkpoint, not in the broker
    }

    @Override
    public void stop() {
        if (sampler != null) {
            sampler.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "TributaryMicroBatchStream[" + subscription + "]";
    }
}
