package dev.tributary.spark.stream;

import dev.tributary.spark.Subscription;
import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.TributaryOptions;
import dev.tributary.spark.client.BrokerClient;
import dev.tributary.spark.offsets.AdmissionPlanner;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.CompositeReadLimit;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxBytes;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReadMinRows;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Structured Streaming source. The driver decides each micro-batch's offsets (this class: the state),
 * {@link AdmissionPlanner} decides how much to admit (the algorithm), and Spark's trigger is the
 * scheduler.
 *
 * <p>Positions are {@link SourceOffset}s (versioned JSON in the checkpoint). The initial position is
 * resolved once and saved beside the checkpoint, so a query restarted before its first batch does not
 * resolve "latest" again and skip records.
 *
 * <p>Data-loss policy: a batch whose start offset is below the log start offset (retention or
 * DeleteRecords got there first), or whose partition disappeared, fails with TRIBUTARY_DATA_LOSS when
 * {@code failOnDataLoss=true}; otherwise it starts at the log start offset, skips the partition, and
 * counts the lost offsets in the {@code offsetsLost} source metric.
 *
 * <p>Ending: with {@code endingTimestamp} / {@code endingOffsetsByTimestamp} (or {@code endingOffsets}
 * JSON) batches never pass each partition's end, and once every partition has a record at or after the
 * end and the query has read up to it, the query is stopped.
 */
public final class TributaryMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow,
    ReportsSourceMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(TributaryMicroBatchStream.class);

  private final TributaryOptions options;
  private final Subscription subscription;
  private final String checkpointLocation;
  private final PartitionReaderFactory readerFactory;
  private final Clock clock;
  private final OffsetSpec ending;

  private BrokerClient client;
  private RecordSizeSampler sampler;
  private long lastBatchMs;
  private PartitionOffsets latestSeen = PartitionOffsets.empty();
  private PartitionOffsets availableNowCap;
  private final Map<TopicPartition, Long> endCaps = new HashMap<>();
  // Spark may plan the same batch more than once; a set counts each lost interval once
  private final java.util.Set<dev.tributary.spark.offsets.OffsetRange> lostRanges = new java.util.HashSet<>();
  private boolean stopRequested;

  public TributaryMicroBatchStream(TributaryOptions options, String checkpointLocation,
      PartitionReaderFactory readerFactory) {
    this(options, checkpointLocation, readerFactory, Clock.systemUTC());
  }

  TributaryMicroBatchStream(TributaryOptions options, String checkpointLocation,
      PartitionReaderFactory readerFactory, Clock clock) {
    this.options = options;
    this.subscription = options.subscription();
    this.checkpointLocation = checkpointLocation;
    this.readerFactory = readerFactory;
    this.clock = clock;
    this.lastBatchMs = clock.millis();
    this.ending = options.endingSpec(null);
    if (ending instanceof OffsetSpec.Latest || ending instanceof OffsetSpec.Earliest) {
      throw TributaryErrors.invalidOption(TributaryOptions.ENDING_OFFSETS, options.get(TributaryOptions.ENDING_OFFSETS),
          "a streaming query ends only at per-partition offsets or at a timestamp (endingTimestamp)");
    }
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
        .resolveStart(options.startingSpec(new OffsetSpec.Latest()), partitions, options.startingNoMatchStrategy());
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
    availableNowCap = PartitionOffsets.of(client().latest(partitions));
  }

  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("latestOffset(Offset, ReadLimit) is used with admission control");
  }

  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    PartitionOffsets start = ((SourceOffset) startOffset).offsets();
    List<TopicPartition> partitions = client().partitions(subscription, false);
    for (TopicPartition tp : start.partitions()) {
      if (!partitions.contains(tp)) {
        if (options.failOnDataLoss()) {
          throw TributaryErrors.partitionLost(tp);
        }
        LOG.warn("{} disappeared; dropping it because failOnDataLoss=false", tp);
      }
    }
    PartitionOffsets latest = PartitionOffsets.of(client().latest(partitions));
    latestSeen = latest;

    Map<TopicPartition, Long> from = new HashMap<>();
    List<TopicPartition> added = partitions.stream().filter(tp -> !start.contains(tp)).toList();
    Map<TopicPartition, Long> addedStart = added.isEmpty() ? Map.of() : client().earliest(added);
    for (TopicPartition tp : partitions) {
      from.put(tp, start.contains(tp) ? start.get(tp) : addedStart.get(tp));
    }
    PartitionOffsets fromOffsets = PartitionOffsets.of(from);
    PartitionOffsets capped = cap(latest, fromOffsets);

    long available = 0;
    for (TopicPartition tp : capped.partitions()) {
      available += Math.max(0, capped.get(tp) - fromOffsets.get(tp));
    }
    LOG.debug("latestOffset: from {} latest {} capped {} endCaps {}", fromOffsets, latest, capped, endCaps);
    if (available == 0 && endReached(partitions, fromOffsets)) {
      if (!stopRequested) {
        stopRequested = true;
        QueryStopper.stopCurrentQuery("every partition has reached its end (" + describeEnding() + ")");
      }
      return startOffset;
    }

    Limits l = Limits.of(limit);
    long now = clock.millis();
    AdmissionPlanner planner = new AdmissionPlanner(l.maxRows, l.maxBytes,
        availableNowCap == null ? l.minRows : 0, l.maxTriggerDelayMs);
    if (!planner.shouldRunBatch(available, lastBatchMs, now)) {
      return startOffset;
    }
    Map<TopicPartition, Double> sizes = Map.of();
    if (l.maxBytes > 0 && available > 0) {
      if (sampler == null) {
        sampler = new RecordSizeSampler(options.clientParams());
      }
      sizes = sampler.estimate(fromOffsets, capped);
    }
    PartitionOffsets end = planner.limit(fromOffsets, capped, sizes);
    if (end.equals(start)) {
      return startOffset;
    }
    lastBatchMs = now;
    return new SourceOffset(end);
  }

  /** latest, held back by the AvailableNow snapshot and the ending offsets. */
  private PartitionOffsets cap(PartitionOffsets latest, PartitionOffsets from) {
    resolveEndCaps(latest.partitions());
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : latest.partitions()) {
      long v = latest.get(tp);
      if (availableNowCap != null) {
        // partitions that appeared after the AvailableNow snapshot wait for the next run
        v = Math.min(v, availableNowCap.getOrDefault(tp, from.get(tp)));
      }
      Long endCap = endCaps.get(tp);
      if (endCap != null) {
        v = Math.min(v, endCap);
      }
      out.put(tp, Math.max(v, from.get(tp)));
    }
    return PartitionOffsets.of(out);
  }

  private void resolveEndCaps(java.util.Set<TopicPartition> partitions) {
    if (ending == null) {
      return;
    }
    if (ending instanceof OffsetSpec.Specific specific) {
      for (TopicPartition tp : partitions) {
        Long v = specific.offsets().get(tp);
        if (v != null && v >= 0) {
          endCaps.put(tp, v);
        }
      }
      return;
    }
    Map<TopicPartition, Long> ask = new HashMap<>();
    for (TopicPartition tp : partitions) {
      if (!endCaps.containsKey(tp)) {
        if (ending instanceof OffsetSpec.GlobalTimestamp g) {
          ask.put(tp, g.timestampMs());
        } else {
          Long ts = ((OffsetSpec.PartitionTimestamps) ending).timestampsMs().get(tp);
          if (ts != null) {
            ask.put(tp, ts);
          }
        }
      }
    }
    if (!ask.isEmpty()) {
      // a partition has "passed" the end once it holds a record at or after the timestamp
      endCaps.putAll(client().forTimestamps(ask));
    }
  }

  private boolean endReached(List<TopicPartition> partitions, PartitionOffsets from) {
    if (ending == null || partitions.isEmpty()) {
      return false;
    }
    for (TopicPartition tp : partitions) {
      Long endCap = endCaps.get(tp);
      if (endCap == null || from.get(tp) < endCap) {
        return false;
      }
    }
    return true;
  }

  private String describeEnding() {
    return ending instanceof OffsetSpec.GlobalTimestamp g ? "endingTimestamp " + g.timestampMs() : "ending " + ending;
  }

  @Override
  public Offset reportLatestOffset() {
    return new SourceOffset(latestSeen);
  }

  @Override
  public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
    PartitionOffsets start = ((SourceOffset) startOffset).offsets();
    PartitionOffsets end = ((SourceOffset) endOffset).offsets();
    Map<TopicPartition, Long> earliest = client().earliest(end.partitions());
    List<OffsetRange> ranges = new ArrayList<>();
    for (TopicPartition tp : end.partitions()) {
      long logStart = earliest.get(tp);
      long from = start.getOrDefault(tp, logStart);
      long until = end.get(tp);
      if (from < logStart) {
        if (options.failOnDataLoss()) {
          throw TributaryErrors.dataLoss(tp, from, Math.min(logStart, until), "the log now starts at " + logStart);
        }
        if (lostRanges.add(new OffsetRange(tp, from, Math.min(logStart, until)))) {
          LOG.warn("{}: offsets [{}, {}) are lost; continuing at {} because failOnDataLoss=false",
              tp, from, Math.min(logStart, until), logStart);
        }
        from = Math.min(logStart, until);
      }
      if (until < from) {
        if (options.failOnDataLoss()) {
          throw TributaryErrors.dataLoss(tp, until, from, "the partition is behind the checkpoint (recreated?)");
        }
        LOG.warn("{}: end {} is before start {}; skipping because failOnDataLoss=false", tp, until, from);
        continue;
      }
      ranges.add(new OffsetRange(tp, from, until));
    }
    return new OffsetRangeCalculator(options.minPartitions(), options.maxRecordsPerPartition())
        .plan(ranges, ExecutorLocations.sorted()).stream()
        .map(TributaryInputPartition::new).toArray(InputPartition[]::new);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return readerFactory;
  }

  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    Map<String, String> m = new HashMap<>();
    m.put("offsetsLost", Long.toString(lostRanges.stream().mapToLong(OffsetRange::size).sum()));
    if (latestConsumedOffset.isEmpty() || latestSeen.size() == 0) {
      return m;
    }
    PartitionOffsets consumed = ((SourceOffset) latestConsumedOffset.get()).offsets();
    long min = Long.MAX_VALUE;
    long max = 0;
    long sum = 0;
    for (TopicPartition tp : latestSeen.partitions()) {
      long behind = Math.max(0, latestSeen.get(tp) - consumed.getOrDefault(tp, 0));
      min = Math.min(min, behind);
      max = Math.max(max, behind);
      sum += behind;
    }
    m.put("minOffsetsBehindLatest", Long.toString(min));
    m.put("maxOffsetsBehindLatest", Long.toString(max));
    m.put("avgOffsetsBehindLatest", Double.toString((double) sum / latestSeen.size()));
    return m;
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

  /** The limits Spark passes to {@link #latestOffset(Offset, ReadLimit)}, flattened. */
  private record Limits(long maxRows, long maxBytes, long minRows, long maxTriggerDelayMs) {
    static Limits of(ReadLimit limit) {
      long[] v = new long[4];
      collect(limit, v);
      return new Limits(v[0], v[1], v[2], v[3]);
    }

    private static void collect(ReadLimit limit, long[] v) {
      if (limit instanceof ReadMaxRows r) {
        v[0] = r.maxRows();
      } else if (limit instanceof ReadMaxBytes b) {
        v[1] = b.maxBytes();
      } else if (limit instanceof ReadMinRows m) {
        v[2] = m.minRows();
        v[3] = m.maxTriggerDelayMs();
      } else if (limit instanceof CompositeReadLimit c) {
        for (ReadLimit inner : c.getReadLimits()) {
          collect(inner, v);
        }
      }
    }
  }
}
