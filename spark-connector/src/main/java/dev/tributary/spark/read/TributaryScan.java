package dev.tributary.spark.read;

import dev.tributary.spark.Subscription;
import dev.tributary.spark.TributaryOptions;
import dev.tributary.spark.client.BrokerClient;
import dev.tributary.spark.client.ClientConfigs;
import dev.tributary.spark.offsets.BatchRanges;
import dev.tributary.spark.offsets.DataLossPolicy;
import dev.tributary.spark.offsets.FilterBounds;
import dev.tributary.spark.offsets.OffsetRange;
import dev.tributary.spark.offsets.OffsetRangeCalculator;
import dev.tributary.spark.offsets.OffsetSpec;
import dev.tributary.spark.offsets.OffsetSpecResolver;
import dev.tributary.spark.offsets.PartitionOffsets;
import dev.tributary.spark.stream.TributaryMicroBatchStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.StructType;

/**
 * A batch or streaming scan. For a batch, the offset ranges are planned once (Metadata + ListOffsets on
 * the driver) and reused by {@link #description()} so the plan shows what will be read.
 */
public final class TributaryScan implements Scan, Batch {
    private final TributaryOptions options;
    private final StructType schema;
    private final FilterBounds bounds;
    private final BytesDecoder keyDecoder;
    private final BytesDecoder valueDecoder;
    private List<OffsetRange> planned;

    TributaryScan(
            TributaryOptions options,
            StructType schema,
            FilterBounds bounds,
            BytesDecoder keyDecoder,
            BytesDecoder valueDecoder) {
        this.options = options;
        this.schema = schema;
        this.bounds = bounds;
        this.keyDecoder = keyDecoder;
        this.valueDecoder = valueDecoder;
    }

    @Override
    public StructType readSchema() {
        return schema;
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    @Override
    public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
        return new TributaryMicroBatchStream(options, checkpointLocation, readerFactory());
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
        return new CustomMetric[] {new RecordsReadMetric()};
    }

    @Override
    public String description() {
        List<OffsetRange> ranges = ranges();
        long offsets = ranges.stream().mapToLong(OffsetRange::size).sum();
        return "TributaryScan " + options.subscription() + " PushedFilters: " + Arrays.toString(bounds.pushed())
                + (bounds.isEmpty() ? "" : " PushedBounds: [" + bounds + "]")
                + " Ranges: " + ranges.size() + " PlannedOffsets: " + offsets;
    }

    /** The planned offset ranges (after splitting); planned once per scan. */
    public synchronized List<OffsetRange> ranges() {
        if (planned == null) {
            planned = plan();
        }
        return planned;
    }

    @Override
    public InputPartition[] planInputPartitions() {
        return ranges().stream().map(TributaryInputPartition::new).toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return readerFactory();
    }

    private TributaryReaderFactory readerFactory() {
        return new TributaryReaderFactory(
                ClientConfigs.consumer(options.clientParams()),
                ColumnLayout.of(schema),
                keyDecoder,
                valueDecoder,
                options.failOnDataLoss(),
                options.pollTimeoutMs());
    }

    private List<OffsetRange> plan() {
        Subscription subscription = options.subscription();
        options.bootstrapServers();
        try (BrokerClient client = new BrokerClient(options.clientParams())) {
            List<TopicPartition> partitions = client.partitions(subscription, true).stream()
                    .filter(tp -> bounds.includesPartition(tp.partition()))
                    .toList();
            OffsetSpecResolver resolver = new OffsetSpecResolver(client);
            PartitionOffsets start = resolver.resolveStart(
                    options.startingSpec(new OffsetSpec.Earliest()), partitions, options.startingNoMatchStrategy());
            PartitionOffsets end = resolver.resolveEnd(options.endingSpec(new OffsetSpec.Latest()), partitions);
            PartitionOffsets earliest = PartitionOffsets.of(client.earliest(partitions));
            Map<TopicPartition, Long> tsFrom = null;
            Map<TopicPartition, Long> tsUntil = null;
            if (bounds.hasTimestampFrom()) {
                tsFrom = client.forTimestamps(all(partitions, bounds.timestampFrom()));
            }
            if (bounds.hasTimestampUntil() && options.timestampUpperPushDown()) {
                tsUntil = client.forTimestamps(all(partitions, bounds.timestampUntil()));
            }
            List<OffsetRange> ranges = BatchRanges.compute(
                    partitions,
                    start,
                    end,
                    earliest,
                    bounds,
                    tsFrom,
                    tsUntil,
                    new DataLossPolicy(options.failOnDataLoss()));
            return new OffsetRangeCalculator(options.minPartitions(), options.maxRecordsPerPartition())
                    .plan(ranges, ExecutorLocations.sorted());
        }
    }

    private static Map<TopicPartition, Long> all(List<TopicPartition> partitions, long ts) {
        Map<TopicPartition, Long> m = new HashMap<>();
        partitions.forEach(tp -> m.put(tp, ts));
        return m;
    }
}
