package dev.tributary.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import dev.tributary.flink.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exact record counts for every start and stop mode, a bounded backfill from a timestamp, partition
 * discovery and idleness, on a MiniCluster against the test broker.
 *
 * <p>Fixture topic: 2 partitions x 10 records; record i of a partition has offset i and timestamp
 * {@code T0 + i * 1000}.
 */
// A separate thread: a blocked collect iterator swallows the interrupt of a same-thread timeout and never returns.
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TributarySourceITCase {

    /** The source's metrics are how a test learns what the running job has done (e.g. resolved its start offsets). */
    static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    static final long T0 = 1_700_000_000_000L;
    static TestBroker broker;
    static String topic;
    static TopicPartition p0;
    static TopicPartition p1;

    @BeforeAll
    static void produceFixture() {
        broker = TestBroker.shared();
        topic = broker.newTopic("modes", 2);
        p0 = new TopicPartition(topic, 0);
        p1 = new TopicPartition(topic, 1);
        broker.produce(topic, 0, 0, 10, T0, 1000);
        broker.produce(topic, 1, 0, 10, T0, 1000);
    }

    private static TributarySourceBuilder<TributaryRecord> source() {
        return TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(topic)
                .setDeserializer(TributaryRecordDeserializationSchema.records());
    }

    /** Runs a bounded source to the end and returns "partition-offset" of every record read. */
    private static List<String> readAll(TributarySource<TributaryRecord> source, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        List<String> out = new ArrayList<>();
        try (CloseableIterator<TributaryRecord> it = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "tributary")
                .executeAndCollect()) {
            it.forEachRemaining(r -> out.add(r.partition + "-" + r.offset));
        }
        return out;
    }

    /** The value of the reader metric {@code suffix} of a running job, or null while no reader has it. */
    private static Object gauge(JobClient job, String suffix) {
        // By group: getMetricsByIdentifiers fails on a job whose collect sink registers one identifier twice.
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                REPORTER.getMetricsByGroup().entrySet()) {
            if (job.getJobID()
                    .toString()
                    .equals(group.getKey().getAllVariables().get("<job_id>"))) {
                for (Map.Entry<String, Metric> m : group.getValue().entrySet()) {
                    if (m.getValue() instanceof Gauge
                            && group.getKey().getMetricIdentifier(m.getKey()).endsWith(suffix)) {
                        return ((Gauge<?>) m.getValue()).getValue();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Waits until a reader of the job holds a split of {@code tp} that starts at {@code offset}: the job has
     * resolved its start offsets, so records written from now on are after them. The gauge is registered when
     * the split is added and moves only when a record of the partition is emitted.
     */
    private static void awaitReaderAt(JobClient job, TopicPartition tp, long offset) {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> gauge(
                                job,
                                ".tributary.topic." + tp.topic() + ".partition." + tp.partition() + ".currentOffset"),
                        v -> Long.valueOf(offset).equals(v));
    }

    /** The next {@code n} elements; fails (instead of blocking) when the job ends first. */
    private static <T> List<T> take(CloseableIterator<T> it, int n) {
        List<T> out = new ArrayList<>();
        while (out.size() < n) {
            assertThat(it.hasNext()).as("the job ended after %s", out).isTrue();
            out.add(it.next());
        }
        return out;
    }

    private static <T> List<T> rest(CloseableIterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String id(TributaryRecord r) {
        return r.partition + "-" + r.offset;
    }

    private static Set<String> range(int partition, int from, int to) {
        Set<String> s = new HashSet<>();
        for (int i = from; i < to; i++) {
            s.add(partition + "-" + i);
        }
        return s;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    @Test
    void shouldReadEverythingFromEarliestToLatest() throws Exception {
        List<String> got =
                readAll(source().setBounded(OffsetsInitializer.latest()).build(), 2);
        assertThat(got).hasSize(20).containsExactlyInAnyOrderElementsOf(union(range(0, 0, 10), range(1, 0, 10)));
    }

    @Test
    void shouldReadNothingFromLatestToLatest() throws Exception {
        List<String> got = readAll(
                source().setStartingOffsets(OffsetsInitializer.latest())
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                2);
        assertThat(got).isEmpty();
    }

    @Test
    void shouldStartFromCommittedOffsetsFallingBackWhereNoneCommitted() throws Exception {
        String group = "g-committed-" + System.nanoTime();
        broker.commit(group, Map.of(p0, 3L));
        List<String> got = readAll(
                source().setGroupId(group)
                        .setStartingOffsets(OffsetsInitializer.committed(OffsetsInitializer.earliest()))
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                2);
        assertThat(got).hasSize(17).containsExactlyInAnyOrderElementsOf(union(range(0, 3, 10), range(1, 0, 10)));
    }

    @Test
    void shouldStartAtTimestamp() throws Exception {
        List<String> got = readAll(
                source().setStartingOffsets(OffsetsInitializer.timestamp(T0 + 4_000))
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                2);
        assertThat(got).hasSize(12).containsExactlyInAnyOrderElementsOf(union(range(0, 4, 10), range(1, 4, 10)));
    }

    @Test
    void shouldStartAtSpecificOffsets() throws Exception {
        List<String> got = readAll(
                source().setStartingOffsets(OffsetsInitializer.offsets(Map.of(p0, 2L, p1, 8L)))
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                2);
        assertThat(got).hasSize(10).containsExactlyInAnyOrderElementsOf(union(range(0, 2, 10), range(1, 8, 10)));
    }

    @Test
    void shouldStopAtTimestamp() throws Exception {
        List<String> got = readAll(
                source().setBounded(OffsetsInitializer.timestamp(T0 + 6_000)).build(), 2);
        assertThat(got).hasSize(12).containsExactlyInAnyOrderElementsOf(union(range(0, 0, 6), range(1, 0, 6)));
    }

    @Test
    void shouldStopAtSpecificOffsets() throws Exception {
        List<String> got = readAll(
                source().setBounded(OffsetsInitializer.offsets(Map.of(p0, 3L, p1, 5L)))
                        .build(),
                1);
        assertThat(got).hasSize(8).containsExactlyInAnyOrderElementsOf(union(range(0, 0, 3), range(1, 0, 5)));
    }

    @Test
    void shouldStopAtCommittedOffsets() throws Exception {
        String group = "g-stop-" + System.nanoTime();
        broker.commit(group, Map.of(p0, 4L, p1, 6L));
        List<String> got = readAll(
                source().setGroupId(group)
                        .setCommitOffsetsOnCheckpoint(false)
                        .setBounded(OffsetsInitializer.committed(OffsetsInitializer.latest()))
                        .build(),
                2);
        assertThat(got).hasSize(10).containsExactlyInAnyOrderElementsOf(union(range(0, 0, 4), range(1, 0, 6)));
    }

    @Test
    void shouldBackfillExactlyTheRangeFromATimestampInParallelPieces() throws Exception {
        List<String> got = readAll(
                source().setStartingOffsets(OffsetsInitializer.timestamp(T0 + 3_000))
                        .setBounded(OffsetsInitializer.latest())
                        .setBackfillSplitSize(2)
                        .build(),
                3);
        assertThat(got).hasSize(14).containsExactlyInAnyOrderElementsOf(union(range(0, 3, 10), range(1, 3, 10)));
    }

    @Test
    void shouldSubscribeByPatternAndByPartition() throws Exception {
        List<String> byPattern = readAll(
                TributarySource.<TributaryRecord>builder()
                        .setBootstrapServers(broker.bootstrapServers())
                        .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                        .setDeserializer(TributaryRecordDeserializationSchema.records())
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                2);
        assertThat(byPattern).hasSize(20);
        List<String> byPartition = readAll(
                TributarySource.<TributaryRecord>builder()
                        .setBootstrapServers(broker.bootstrapServers())
                        .setPartitions(Set.of(p1))
                        .setDeserializer(TributaryRecordDeserializationSchema.records())
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                2);
        assertThat(byPartition).containsExactlyInAnyOrderElementsOf(range(1, 0, 10));
    }

    @Test
    void shouldStartAtLatestAndStopAtOffsetsWhileUnbounded() throws Exception {
        String t = broker.newTopic("unbounded-stop", 1);
        TopicPartition tp = new TopicPartition(t, 0);
        broker.produce(t, 0, 0, 5, T0, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TributarySource<TributaryRecord> src = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(t)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setStartingOffsets(OffsetsInitializer.latest())
                .setUnbounded(OffsetsInitializer.offsets(Map.of(tp, 8L)))
                .build();
        try (CloseableIterator<TributaryRecord> it =
                env.fromSource(src, WatermarkStrategy.noWatermarks(), "src").collectAsync()) {
            JobClient job = env.executeAsync();
            awaitReaderAt(job, tp, 5); // "latest" resolved to 5 before the new records arrive
            broker.produce(t, 0, 5, 5, T0, 1);
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            assertThat(rest(it)).extracting(TributarySourceITCase::id).containsExactly("0-5", "0-6", "0-7");
        }
    }

    /**
     * A stopping timestamp that no record has reached yet does not end the job: the records before it are
     * emitted as they arrive, also those written after the job started, and the job ends at the first record
     * at or after the timestamp, without emitting it.
     */
    @Test
    void shouldStopAtAFutureTimestampWhileUnbounded() throws Exception {
        String t = broker.newTopic("unbounded-ts", 1);
        broker.produce(t, 0, 0, 5, T0, 1000); // offsets 0..4: T0 .. T0+4 s
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TributarySource<TributaryRecord> src = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(t)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setUnbounded(OffsetsInitializer.timestamp(T0 + 7_000))
                .build();
        try (CloseableIterator<TributaryRecord> it =
                env.fromSource(src, WatermarkStrategy.noWatermarks(), "src").collectAsync()) {
            JobClient job = env.executeAsync();
            List<String> got = new ArrayList<>();
            take(it, 5).forEach(r -> got.add(id(r)));
            assertThat(got).containsExactly("0-0", "0-1", "0-2", "0-3", "0-4");

            broker.produce(t, 0, 5, 2, T0, 1000); // offsets 5, 6: T0+5 s, T0+6 s, still before the stop
            take(it, 2).forEach(r -> got.add(id(r)));
            assertThat(got).endsWith("0-5", "0-6");

            broker.produce(t, 0, 7, 3, T0, 1000); // offsets 7..9: T0+7 s reaches the stop
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            rest(it).forEach(r -> got.add(id(r)));
            assertThat(got).containsExactly("0-0", "0-1", "0-2", "0-3", "0-4", "0-5", "0-6");
        }
    }

    @Test
    void shouldDeliverKeyValueHeadersAndTimestamp() throws Exception {
        String t = broker.newTopic("fields", 1);
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(
                t,
                0,
                T0 + 123,
                "key".getBytes(StandardCharsets.UTF_8),
                "value".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader("h", "v".getBytes(StandardCharsets.UTF_8))));
        broker.send(rec);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<TributaryRecord> got = env.fromSource(
                        TributarySource.<TributaryRecord>builder()
                                .setBootstrapServers(broker.bootstrapServers())
                                .setTopics(t)
                                .setDeserializer(TributaryRecordDeserializationSchema.records())
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "src")
                .executeAndCollect(10);
        assertThat(got).hasSize(1);
        TributaryRecord r = got.get(0);
        assertThat(r.topic).isEqualTo(t);
        assertThat(r.partition).isZero();
        assertThat(r.offset).isZero();
        assertThat(r.timestamp).isEqualTo(T0 + 123);
        assertThat(r.timestampType).isEqualTo("CreateTime");
        assertThat(new String(r.key, StandardCharsets.UTF_8)).isEqualTo("key");
        assertThat(new String(r.value, StandardCharsets.UTF_8)).isEqualTo("value");
        assertThat(r.headerKeys).containsExactly("h");
        assertThat(new String(r.headerValues[0], StandardCharsets.UTF_8)).isEqualTo("v");
    }

    @Test
    void shouldPickUpPartitionsAddedWhileRunning() throws Exception {
        String t = broker.newTopic("discovery", 1);
        broker.produce(t, 0, 0, 3, T0, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        TributarySource<TributaryRecord> src = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(t)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setStartingOffsets(OffsetsInitializer.latest()) // new partitions must still start at earliest
                .setPartitionDiscoveryInterval(Duration.ofMillis(300))
                .build();
        try (CloseableIterator<TributaryRecord> it =
                env.fromSource(src, WatermarkStrategy.noWatermarks(), "src").collectAsync()) {
            JobClient job = env.executeAsync();
            awaitReaderAt(job, new TopicPartition(t, 0), 3); // the first discovery round is done
            broker.addPartitions(t, 3);
            broker.produce(t, 1, 0, 4, T0, 1);
            broker.produce(t, 2, 0, 2, T0, 1);
            assertThat(take(it, 6))
                    .extracting(TributarySourceITCase::id)
                    .containsExactlyInAnyOrderElementsOf(union(range(1, 0, 4), range(2, 0, 2)));
        }
    }

    /** Writes to partition 0 only, one record per 50 ms with event time advancing 1 s per record. */
    private static Thread busyPartitionZero(String topic) {
        Thread t = new Thread(
                () -> {
                    for (int i = 0; i < 400 && !Thread.currentThread().isInterrupted(); i++) {
                        broker.produce(topic, 0, i, 1, 0, 1000);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "busy-partition-0");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static CloseableIterator<Long> windowEnds(String topic, Duration idleTimeout) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TributarySource<TributaryRecord> src = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(topic)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setPartitionIdleTimeout(idleTimeout)
                .build(); // unbounded: no end-of-input watermark
        // No timestamp assigner: event time is the record timestamp the source attaches.
        return env.fromSource(src, WatermarkStrategy.<TributaryRecord>forMonotonousTimestamps(), "src")
                .windowAll(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                .process(new ProcessAllWindowFunction<TributaryRecord, Long, TimeWindow>() {
                    @Override
                    public void process(Context ctx, Iterable<TributaryRecord> in, Collector<Long> out) {
                        out.collect(ctx.window().getEnd());
                    }
                })
                .returns(Types.LONG)
                .executeAndCollect();
    }

    @Test
    void shouldNotLetAnIdlePartitionHoldBackTheWatermark() throws Exception {
        String t = broker.newTopic("idle", 2); // partition 1 never gets a record
        Thread producer = busyPartitionZero(t);
        List<Long> ends = new ArrayList<>();
        try (CloseableIterator<Long> it = windowEnds(t, Duration.ofMillis(300))) {
            while (ends.size() < 4) {
                ends.add(it.next());
            }
        } finally {
            producer.interrupt();
        }
        // Windows fire only if the watermark passed their end, i.e. partition 1 was left out of it.
        assertThat(ends).containsExactly(1000L, 2000L, 3000L, 4000L);
    }

    /**
     * Every record of the topic as (partition, offset, the event-time watermark the operator after the source
     * had when the record reached it). Unbounded, so no end-of-input watermark.
     */
    private static CloseableIterator<Tuple3<Integer, Long, Long>> watermarkAtEachRecord(
            String topic, Duration idleTimeout) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TributarySource<TributaryRecord> src = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(topic)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setPartitionIdleTimeout(idleTimeout)
                .build();
        return env.fromSource(src, WatermarkStrategy.<TributaryRecord>forMonotonousTimestamps(), "src")
                .process(new ProcessFunction<TributaryRecord, Tuple3<Integer, Long, Long>>() {
                    @Override
                    public void processElement(
                            TributaryRecord r, Context ctx, Collector<Tuple3<Integer, Long, Long>> out) {
                        out.collect(Tuple3.of(
                                r.partition, r.offset, ctx.timerService().currentWatermark()));
                    }
                })
                .returns(Types.TUPLE(Types.INT, Types.LONG, Types.LONG))
                .executeAndCollect();
    }

    /**
     * The control for {@link #shouldNotLetAnIdlePartitionHoldBackTheWatermark}: with idleness off, records of the busy partition flow but the empty
     * partition pins the watermark at its start; once the empty partition gets a record, it moves.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldHoldTheWatermarkWhenIdlenessIsOff() throws Exception {
        String t = broker.newTopic("not-idle", 2);
        Thread producer = busyPartitionZero(t);
        try (CloseableIterator<Tuple3<Integer, Long, Long>> it = watermarkAtEachRecord(t, Duration.ZERO)) {
            // 40 records at one per 50 ms: about 2 s, some ten periodic watermark emissions (200 ms apart),
            // while partition 0's event time goes from 0 s to 39 s.
            List<Tuple3<Integer, Long, Long>> held = take(it, 40);
            assertThat(held).extracting(r -> r.f0).containsOnly(0);
            assertThat(held)
                    .extracting(r -> r.f1)
                    .containsExactlyElementsOf(LongStream.range(0, 40).boxed().toList());
            assertThat(held)
                    .as("watermark at each record")
                    .extracting(r -> r.f2)
                    .containsOnly(Long.MIN_VALUE);

            long farFuture = 1_000_000_000L;
            broker.produce(t, 1, 0, 1, farFuture, 0); // partition 1 is no longer empty
            Tuple3<Integer, Long, Long> moved = it.next();
            while (moved.f2 == Long.MIN_VALUE) {
                moved = it.next();
            }
            // The watermark is the smaller of the two partitions': partition 0's event time, not partition 1's.
            assertThat(moved.f2).isGreaterThanOrEqualTo(38_999L).isLessThan(farFuture - 1);
        } finally {
            producer.interrupt();
        }
    }

    @Test
    void shouldDropADeletedTopicAndReadItFromTheStartWhenRecreated() throws Exception {
        String prefix = "recreate" + Long.toHexString(System.nanoTime());
        String kept = prefix + "-kept";
        String dropped = prefix + "-dropped";
        broker.createTopic(kept, 1);
        broker.createTopic(dropped, 1);
        broker.produce(dropped, 0, 0, 5, T0, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TributarySource<TributaryRecord> src = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopicPattern(Pattern.compile(prefix + "-.*"))
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setPartitionDiscoveryInterval(Duration.ofMillis(300))
                .build();
        List<String> seen = new ArrayList<>();
        try (CloseableIterator<TributaryRecord> it =
                env.fromSource(src, WatermarkStrategy.noWatermarks(), "src").collectAsync()) {
            JobClient job = env.executeAsync();
            take(it, 5).forEach(r -> seen.add(r.topic + "@" + r.offset));
            assertThat(gauge(job, ".tributary." + TributarySourceMetrics.ASSIGNED_PARTITIONS))
                    .isEqualTo(2);
            get(broker.admin().deleteTopics(List.of(dropped)).all());
            // The enumerator saw the topic gone and the reader let go of its partition.
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> gauge(job, ".tributary." + TributarySourceMetrics.ASSIGNED_PARTITIONS),
                            v -> Integer.valueOf(1).equals(v));
            broker.createTopic(dropped, 1);
            broker.produce(dropped, 0, 0, 3, T0, 1);
            broker.produce(kept, 0, 0, 2, T0, 1);
            take(it, 5).forEach(r -> seen.add(r.topic + "@" + r.offset));
        }
        // The re-created topic is new data: offsets 0..2 again, read from its start.
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        dropped + "@0",
                        dropped + "@1",
                        dropped + "@2",
                        dropped + "@3",
                        dropped + "@4",
                        dropped + "@0",
                        dropped + "@1",
                        dropped + "@2",
                        kept + "@0",
                        kept + "@1");
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }
}
