package dev.tributary.flink.source.reader;

import dev.tributary.flink.source.DataLossException;
import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import dev.tributary.flink.source.split.TributarySplit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the splits of one reader with one {@link KafkaConsumer} in assign mode. Runs on the fetcher
 * thread only.
 *
 * <p>A partition may have several splits here (pieces of a cut backfill range); they are read one after
 * the other, because a consumer has one position per partition.
 *
 * <p>A split ends at its stopping offset (checked against the consumer position too, so a range that
 * ends in a transaction marker or a compacted gap still ends) or at the first record whose timestamp
 * reaches its stopping timestamp.
 *
 * <p>Idleness: a partition with no records for {@code idleTimeout} gets an {@link #IDLE_MARKER} in every
 * fetch until data arrives again; the emitter turns it into {@code markIdle()} on that split's output.
 *
 * <p>Data loss: the consumer runs with {@code auto.offset.reset=none}, so a position below the log start
 * raises {@link OffsetOutOfRangeException}; {@link #handleOutOfRange} counts the deleted records and
 * either fails with {@link DataLossException} or continues at the log start.
 */
public final class TributarySplitReader implements SplitReader<ConsumerRecord<byte[], byte[]>, TributarySplit> {

    private static final Logger LOG = LoggerFactory.getLogger(TributarySplitReader.class);

    /** Marks "this split is idle"; compared by identity, never emitted. */
    public static final ConsumerRecord<byte[], byte[]> IDLE_MARKER =
            new ConsumerRecord<>("__tributary_idle_marker", 0, -1L, null, null);

    /**
     * How often an idle split is re-marked. Flink's periodic watermark emission (200 ms by default) makes
     * an idle output active again, so the mark is repeated; each repeat lets the combined watermark move.
     */
    private static final long MARKER_INTERVAL_NANOS = 100_000_000L;

    /** Short enough that idleness is noticed promptly; wakeUp() cuts it short when splits change. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    /**
     * Consumer settings this source picks unless the user sets them ({@code properties.*} or
     * {@code setProperty}). The client's own defaults suit a poll loop that does little per record; here one
     * fetcher thread parses while the task thread consumes, and what limits a catching-up or backfill read is
     * how long the fetcher thread waits for the next response (bench/flink/read-bench.sh).
     * <ul>
     *   <li>{@code receive.buffer.bytes=-1}: the OS sizes the socket buffer (autotuning), instead of the
     *       client's 64 KiB, so the next response streams in while the previous one is parsed;</li>
     *   <li>{@code max.partition.fetch.bytes} 4 MiB: fewer round trips per partition. A request stays capped by
     *       {@code fetch.max.bytes} (50 MiB) however many partitions the reader has;</li>
     *   <li>{@code max.poll.records} 1000: each poll is one hand-over to the task thread (a queue put that
     *       may wake it), so somewhat more than the client's 500; but not much more, because the task thread
     *       reads every record the fetcher thread just built, and a batch of 1000 (about 0.3 MB of records
     *       and values) is still in cache when it does. With 10000 (3 MB) the task thread spent about twice
     *       the CPU per record, mostly waiting on memory (async-profiler, warm Avro reads).</li>
     * </ul>
     */
    static final Map<String, String> CONSUMER_DEFAULTS = Map.of(
            "receive.buffer.bytes", "-1",
            "max.partition.fetch.bytes", String.valueOf(4 << 20),
            "max.poll.records", "1000");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, ArrayDeque<TributarySplit>> splitsByPartition = new HashMap<>();
    private final Set<String> finishedOutsideFetch = new HashSet<>();
    private final Map<TopicPartition, Long> lastRecordNanos = new HashMap<>();
    private final Map<TopicPartition, Long> lastMarkerNanos = new HashMap<>();
    private final long idleTimeoutNanos;
    private final boolean failOnDataLoss;
    private final TributarySourceMetrics metrics;
    private final LongSupplier nanoClock;

    public TributarySplitReader(
            Properties consumerProps,
            boolean failOnDataLoss,
            Duration idleTimeout,
            TributarySourceMetrics metrics,
            LongSupplier nanoClock) {
        this.consumer = new KafkaConsumer<>(consumerConfig(consumerProps));
        this.failOnDataLoss = failOnDataLoss;
        this.idleTimeoutNanos = idleTimeout == null ? 0 : idleTimeout.toNanos();
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    /** The reader's consumer settings: {@link #CONSUMER_DEFAULTS}, then the user's, then what this reader needs. */
    static Properties consumerConfig(Properties user) {
        Properties p = new Properties();
        p.putAll(CONSUMER_DEFAULTS);
        p.putAll(user);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "none");
        // Offsets are committed through the Admin client on checkpoints; the consumer never joins a group.
        p.remove("group.id");
        return p;
    }

    @Override
    public RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetch() {
        RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out = new RecordsBySplits.Builder<>();
        if (!finishedOutsideFetch.isEmpty()) {
            out.addFinishedSplits(finishedOutsideFetch);
            finishedOutsideFetch.clear();
        }
        if (splitsByPartition.isEmpty()) {
            return out.build();
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (OffsetOutOfRangeException e) {
            handleOutOfRange(e.offsetOutOfRangePartitions(), out);
            return out.build();
        } catch (WakeupException e) {
            return out.build();
        }
        long now = nanoClock.getAsLong();
        for (TopicPartition tp : records.partitions()) {
            ArrayDeque<TributarySplit> queue = splitsByPartition.get(tp);
            if (queue == null) {
                continue; // removed while the fetch was in flight
            }
            TributarySplit split = queue.peek();
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
            if (!reachedEnd(split, batch.get(batch.size() - 1)) && !split.hasStoppingTimestamp()) {
                // The common case: the whole batch belongs to the split; hand the list over as it is. Records
                // are not touched here (bytes are counted by the emitter, which reads each record anyway).
                out.addAll(split.splitId(), batch);
            } else {
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (reachedEnd(split, r)) {
                        finishHead(tp, out);
                        break; // any rest belongs to no split or to the next piece, which re-seeks
                    }
                    out.add(split.splitId(), r);
                }
            }
            lastRecordNanos.put(tp, now);
        }
        finishRangesAtPosition(out);
        markIdleSplits(records, now, out);
        return out.build();
    }

    private static boolean reachedEnd(TributarySplit split, ConsumerRecord<byte[], byte[]> r) {
        return (split.hasStoppingOffset() && r.offset() >= split.stoppingOffset())
                || (split.hasStoppingTimestamp() && r.timestamp() >= split.stoppingTimestamp());
    }

    /** Ends ranges whose position reached the stop offset without a record at stop - 1. */
    private void finishRangesAtPosition(RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out) {
        for (TopicPartition tp : new ArrayList<>(splitsByPartition.keySet())) {
            ArrayDeque<TributarySplit> queue = splitsByPartition.get(tp);
            while (queue != null && !queue.isEmpty()) {
                TributarySplit head = queue.peek();
                if (!head.hasStoppingOffset() || consumer.position(tp) < head.stoppingOffset()) {
                    break;
                }
                finishHead(tp, out);
                queue = splitsByPartition.get(tp);
            }
            if (splitsByPartition.containsKey(tp)) {
                OptionalLong lag = consumer.currentLag(tp);
                if (lag.isPresent()) {
                    metrics.logEndOffset(tp, consumer.position(tp) + lag.getAsLong());
                }
            }
        }
    }

    private void markIdleSplits(
            ConsumerRecords<byte[], byte[]> records,
            long now,
            RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out) {
        if (idleTimeoutNanos <= 0) {
            return;
        }
        for (Map.Entry<TopicPartition, ArrayDeque<TributarySplit>> e : splitsByPartition.entrySet()) {
            TopicPartition tp = e.getKey();
            if (records.records(tp).isEmpty()
                    && now - lastRecordNanos.getOrDefault(tp, now) >= idleTimeoutNanos
                    && now - lastMarkerNanos.getOrDefault(tp, Long.MIN_VALUE / 2) >= MARKER_INTERVAL_NANOS) {
                out.add(e.getValue().peek().splitId(), IDLE_MARKER);
                lastMarkerNanos.put(tp, now);
            }
        }
    }

    private void finishHead(TopicPartition tp, RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out) {
        ArrayDeque<TributarySplit> queue = splitsByPartition.get(tp);
        TributarySplit done = queue.poll();
        out.addFinishedSplit(done.splitId());
        LOG.debug("Finished split {}", done);
        advanceOrUnassign(tp, queue);
    }

    private void advanceOrUnassign(TopicPartition tp, ArrayDeque<TributarySplit> queue) {
        if (queue.isEmpty()) {
            splitsByPartition.remove(tp);
            lastRecordNanos.remove(tp);
            lastMarkerNanos.remove(tp);
            consumer.assign(splitsByPartition.keySet());
            metrics.assignedPartitions(splitsByPartition.size());
        } else {
            consumer.seek(tp, queue.peek().startingOffset());
        }
    }

    /** Positions outside [log start, log end]: below is data loss, above means the log was truncated. */
    private void handleOutOfRange(
            Map<TopicPartition, Long> requested, RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out) {
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(requested.keySet());
        Map<TopicPartition, Long> ends = consumer.endOffsets(requested.keySet());
        for (Map.Entry<TopicPartition, Long> e : requested.entrySet()) {
            TopicPartition tp = e.getKey();
            ArrayDeque<TributarySplit> queue = splitsByPartition.get(tp);
            if (queue == null) {
                continue;
            }
            long wanted = e.getValue();
            long logStart = starts.get(tp);
            if (wanted < logStart) {
                TributarySplit head = queue.peek();
                long lostUpTo = head.hasStoppingOffset() ? Math.min(head.stoppingOffset(), logStart) : logStart;
                metrics.dataLoss(lostUpTo - wanted);
                if (failOnDataLoss) {
                    throw new DataLossException(tp, wanted, logStart);
                }
                LOG.warn(
                        "Data loss on {}: offsets [{}, {}) were deleted before this job read them; "
                                + "continuing at the log start (failOnDataLoss=false)",
                        tp,
                        wanted,
                        logStart);
                consumer.seek(tp, logStart);
            } else {
                long logEnd = ends.get(tp);
                LOG.warn(
                        "Offset {} of {} is past the log end {} (log truncated or topic re-created); "
                                + "continuing at the log end",
                        wanted,
                        tp,
                        logEnd);
                consumer.seek(tp, logEnd);
            }
        }
        finishRangesAtPosition(out);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<TributarySplit> change) {
        if (change instanceof SplitsAddition) {
            addSplits(change.splits());
        } else if (change instanceof SplitsRemoval) {
            removeSplits(change.splits());
        } else {
            throw new UnsupportedOperationException(
                    "unsupported split change " + change.getClass().getName());
        }
    }

    private void addSplits(List<TributarySplit> splits) {
        Map<TopicPartition, Long> seeks = new HashMap<>();
        long now = nanoClock.getAsLong();
        for (TributarySplit split : splits) {
            TopicPartition tp = split.topicPartition();
            metrics.registerPartition(tp, split.startingOffset());
            if (split.isEmptyRange()) {
                finishedOutsideFetch.add(split.splitId());
                continue;
            }
            ArrayDeque<TributarySplit> queue = splitsByPartition.computeIfAbsent(tp, k -> new ArrayDeque<>());
            queue.add(split);
            if (queue.size() == 1) {
                seeks.put(tp, split.startingOffset());
                lastRecordNanos.put(tp, now);
            }
        }
        consumer.assign(splitsByPartition.keySet());
        metrics.assignedPartitions(splitsByPartition.size());
        seeks.forEach(consumer::seek);
        LOG.info("Reading {}", splits);
    }

    private void removeSplits(Collection<TributarySplit> splits) {
        for (TributarySplit split : splits) {
            TopicPartition tp = split.topicPartition();
            ArrayDeque<TributarySplit> queue = splitsByPartition.get(tp);
            if (queue == null) {
                continue;
            }
            boolean wasHead = !queue.isEmpty() && queue.peek().splitId().equals(split.splitId());
            for (Iterator<TributarySplit> it = queue.iterator(); it.hasNext(); ) {
                if (it.next().splitId().equals(split.splitId())) {
                    it.remove();
                    finishedOutsideFetch.add(split.splitId());
                }
            }
            if (queue.isEmpty() || wasHead) {
                advanceOrUnassign(tp, queue);
            }
        }
    }

    /** Finishes every split of {@code partitions} (deleted topics); they are reported at the next fetch. */
    void dropPartitions(Set<TopicPartition> partitions) {
        List<TributarySplit> gone = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            ArrayDeque<TributarySplit> queue = splitsByPartition.get(tp);
            if (queue != null) {
                gone.addAll(queue);
            }
        }
        if (!gone.isEmpty()) {
            LOG.warn("Dropping splits of deleted partitions: {}", gone);
            removeSplits(gone);
        }
    }

    @Override
    public void pauseOrResumeSplits(Collection<TributarySplit> toPause, Collection<TributarySplit> toResume) {
        List<TopicPartition> pause = toPause.stream()
                .map(TributarySplit::topicPartition)
                .filter(splitsByPartition::containsKey)
                .toList();
        List<TopicPartition> resume = toResume.stream()
                .map(TributarySplit::topicPartition)
                .filter(splitsByPartition::containsKey)
                .toList();
        consumer.pause(pause);
        consumer.resume(resume);
    }

    @Override
    public void wakeUp() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
