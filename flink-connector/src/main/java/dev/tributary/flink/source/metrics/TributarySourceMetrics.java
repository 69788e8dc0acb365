package dev.tributary.flink.source.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.kafka.common.TopicPartition;

/**
 * Metrics of one source reader, under the group {@code tributary}:
 *
 * <ul>
 *   <li>per partition ({@code tributary.topic.<t>.partition.<p>}): {@code currentOffset} (next offset to
 *       emit), {@code committedOffset} (last offset committed to the group), {@code lag} (log end offset
 *       minus current offset, from the latest fetch; -1 when unknown);
 *   <li>{@code dataLossRecords}: offsets the job needed that retention had already deleted;
 *   <li>{@code assignedPartitions}: how many partitions the reader reads now (a partition whose topic was
 *       deleted leaves it when the enumerator notices);
 *   <li>records in and bytes in go to Flink's standard {@code numRecordsIn} / {@code numBytesIn}.
 * </ul>
 *
 * Offsets are written by the task thread (current, committed) and the fetcher thread (lag, loss, assigned) and read
 * by the metric reporter, hence volatile fields and a thread-safe counter.
 */
public final class TributarySourceMetrics {

    public static final String GROUP = "tributary";
    public static final String DATA_LOSS_RECORDS = "dataLossRecords";
    public static final String ASSIGNED_PARTITIONS = "assignedPartitions";

    private final MetricGroup group;
    private final Counter bytesIn;
    private final Counter recordsIn;
    private final Counter dataLoss;
    private final Map<TopicPartition, PartitionGauges> partitions = new ConcurrentHashMap<>();
    private volatile int assignedPartitions;

    public TributarySourceMetrics(SourceReaderMetricGroup readerGroup) {
        this.group = readerGroup.addGroup(GROUP);
        this.bytesIn = readerGroup.getIOMetricGroup().getNumBytesInCounter();
        this.recordsIn = readerGroup.getIOMetricGroup().getNumRecordsInCounter();
        this.dataLoss = group.counter(DATA_LOSS_RECORDS, new ThreadSafeCounter());
        group.gauge(ASSIGNED_PARTITIONS, () -> assignedPartitions);
    }

    /**
     * Per-partition offsets; volatile because three threads touch them. A split state keeps a reference so
     * the per-record update is one field write, with no map lookup.
     */
    public static final class PartitionGauges {
        /**
         * Written per record by the task thread with an opaque store: on x86 a plain move, where a volatile
         * store costs a fence per record. The reporter only needs to see a recent value, not an ordered one.
         */
        private static final VarHandle CURRENT;

        static {
            try {
                CURRENT = MethodHandles.lookup().findVarHandle(PartitionGauges.class, "current", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile long current = -1;

        public void currentOffset(long nextOffset) {
            CURRENT.setOpaque(this, nextOffset);
        }

        volatile long committed = -1;
        volatile long logEnd = -1;
    }

    public PartitionGauges gauges(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> {
            PartitionGauges g = new PartitionGauges();
            MetricGroup pg = group.addGroup("topic", k.topic()).addGroup("partition", String.valueOf(k.partition()));
            pg.gauge("currentOffset", () -> g.current);
            pg.gauge("committedOffset", () -> g.committed);
            pg.gauge("lag", () -> g.logEnd < 0 || g.current < 0 ? -1L : Math.max(0, g.logEnd - g.current));
            return g;
        });
    }

    public void registerPartition(TopicPartition tp, long startOffset) {
        gauges(tp).current = startOffset;
    }

    public void offsetCommitted(TopicPartition tp, long offset) {
        gauges(tp).committed = offset;
    }

    public void logEndOffset(TopicPartition tp, long logEnd) {
        gauges(tp).logEnd = logEnd;
    }

    /** Fetcher thread, whenever the reader's consumer is assigned a new set of partitions. */
    public void assignedPartitions(int count) {
        assignedPartitions = count;
    }

    public void bytesIn(long bytes) {
        bytesIn.inc(bytes);
    }

    /** Idle markers travel as records through the reader base, which counts every one in numRecordsIn. */
    public void uncountIdleMarker() {
        recordsIn.dec();
    }

    public void dataLoss(long records) {
        dataLoss.inc(records);
    }

    /** Incremented from the fetcher thread, read from the reporter. */
    static final class ThreadSafeCounter implements Counter {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void inc() {
            count.incrementAndGet();
        }

        @Override
        public void inc(long n) {
            count.addAndGet(n);
        }

        @Override
        public void dec() {
            count.decrementAndGet();
        }

        @Override
        public void dec(long n) {
            count.addAndGet(-n);
        }

        @Override
        public long getCount() {
            return count.get();
        }
    }
}
