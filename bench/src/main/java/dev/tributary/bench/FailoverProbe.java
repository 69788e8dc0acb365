package dev.tributary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Failover time of a Kafka-protocol cluster, as a client sees it, for {@code bench/cluster/run.sh}. Run with a
 * Kafka 4.3.1 client on the classpath (the kafka-peer harness's {@code lib/*}), the same client for both systems.
 *
 * <pre>
 * FailoverProbe await-cluster BOOTSTRAP BROKERS TIMEOUT_S
 *     exits 0 once describeCluster lists BROKERS brokers
 * FailoverProbe failover BOOTSTRAP TOPIC NODE=PID,NODE=PID,... TIMEOUT_S
 *     one kill: waits until partition 0 of TOPIC has its full ISR, writes to it continuously (acks=all, one
 *     100-byte record per millisecond), finds its leader with describeTopics, SIGKILLs that node's process and
 *     prints "FAILOVER ms=... killed=NODE ..." where ms runs from the signal to the first acknowledgement of a
 *     record sent after the process was gone (only the successor can have acknowledged that one)
 * </pre>
 *
 * The probe sends the signal itself ({@code ProcessHandle.destroyForcibly}, SIGKILL on Linux) so that the start of
 * the interval is taken in the same JVM, on the same clock, as the acknowledgements. The script restarts the node.
 */
public final class FailoverProbe {

    private static final long NO_TIME = Long.MIN_VALUE;

    private FailoverProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("await-cluster")) {
            System.exit(awaitCluster(args[1], Integer.parseInt(args[2]), 180));
        } else if (args.length == 4 && args[0].equals("await-cluster")) {
            System.exit(awaitCluster(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])));
        } else if (args.length == 5 && args[0].equals("failover")) {
            System.exit(failover(args[1], args[2], parsePids(args[3]), Integer.parseInt(args[4])));
        } else {
            System.err.println("usage: FailoverProbe await-cluster BOOTSTRAP BROKERS [TIMEOUT_S]\n"
                    + "       FailoverProbe failover BOOTSTRAP TOPIC NODE=PID,... TIMEOUT_S");
            System.exit(2);
        }
    }

    static Map<Integer, Long> parsePids(String spec) {
        Map<Integer, Long> pids = new HashMap<>();
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected NODE=PID, got '" + part + "' in " + spec);
            }
            pids.put(Integer.parseInt(kv[0].trim()), Long.parseLong(kv[1].trim()));
        }
        return pids;
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(p);
    }

    private static int awaitCluster(String bootstrap, int brokers, int timeoutS) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        String last = "no answer";
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                try {
                    int n = admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .size();
                    if (n >= brokers) {
                        System.out.println("probe: cluster lists " + n + " brokers");
                        return 0;
                    }
                    last = n + " brokers";
                } catch (Exception e) {
                    last = e.toString();
                }
                Thread.sleep(500);
            }
        }
        System.out.println(
                "probe: cluster did not list " + brokers + " brokers in " + timeoutS + " s (last: " + last + ")");
        return 1;
    }

    /** Partition 0 of the topic, or empty when the cluster does not answer. */
    private static Optional<TopicPartitionInfo> partition(Admin admin, String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(topic);
            return Optional.of(d.partitions().get(0));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The id of the metadata quorum's leader, or -1 where the cluster does not tell (DescribeQuorum). */
    private static int quorumLeader(Admin admin) {
        try {
            return admin.describeMetadataQuorum()
                    .quorumInfo()
                    .get(5, TimeUnit.SECONDS)
                    .leaderId();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int failover(String bootstrap, String topic, Map<Integer, Long> pids, int timeoutS)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        try (Admin admin = admin(bootstrap)) {
            // 1. the full ISR: a node restarted after the previous kill must have caught up, or this kill would
            //    leave fewer than min.insync.replicas and no successor could acknowledge acks=all
            TopicPartitionInfo p = null;
            while (System.nanoTime() < deadline) {
                Optional<TopicPartitionInfo> info = partition(admin, topic);
                if (info.isPresent()
                        && info.get().leader() != null
                        && info.get().isr().size() == info.get().replicas().size()) {
                    p = info.get();
                    break;
                }
                Thread.sleep(250);
            }
            if (p == null) {
                System.out.println("FAILOVER ms=NA reason=isr-not-full topic=" + topic + " last="
                        + partition(admin, topic).map(Object::toString).orElse("none"));
                return 3;
            }

            AckWatch watch = new AckWatch();
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, timeoutS)) {
                Thread sender = new Thread(() -> sendLoop(producer, topic, watch), "failover-probe-sender");
                sender.setDaemon(true);
                sender.start();
                try {
                    return killAndMeasure(admin, topic, pids, watch, deadline);
                } finally {
                    watch.stop = true;
                    sender.join(5000);
                    producer.close(Duration.ofSeconds(5));
                }
            }
        }
    }

    private static int killAndMeasure(Admin admin, String topic, Map<Integer, Long> pids, AckWatch watch, long deadline)
            throws Exception {
        // 2. warm up: acks flowing for 2 s (connections open, metadata known, JIT past the first requests)
        long warmStart = System.nanoTime();
        while (System.nanoTime() - warmStart < TimeUnit.SECONDS.toNanos(2) || watch.acks.get() < 100) {
            if (System.nanoTime() > deadline) {
                System.out.println("FAILOVER ms=NA reason=no-acks-before-kill acks=" + watch.acks.get() + " errors="
                        + watch.errors.get());
                return 4;
            }
            Thread.sleep(50);
        }
        // 3. the leader now, and its process
        TopicPartitionInfo p = partition(admin, topic).orElseThrow(() -> new IllegalStateException("no metadata"));
        int leader = p.leader().id();
        Long pid = pids.get(leader);
        if (pid == null) {
            throw new IllegalArgumentException("no pid given for node " + leader + " (pids " + pids + ")");
        }
        int controller = quorumLeader(admin);
        long acksBefore = watch.acks.get();
        ProcessHandle handle = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("node " + leader + " pid " + pid + " is not running"));

        // 4. SIGKILL; records sent once the process is gone can only be acknowledged by a successor
        long killed = System.nanoTime();
        handle.destroyForcibly();
        while (isRunning(pid)) {
            if (System.nanoTime() - killed > TimeUnit.SECONDS.toNanos(10)) {
                throw new IllegalStateException("pid " + pid + " still running 10 s after SIGKILL");
            }
            LockSupport.parkNanos(200_000);
        }
        long gone = System.nanoTime();
        watch.markGone(gone);

        // 5. the first acknowledgement of such a record
        while (watch.firstAckAfterGone.get() == NO_TIME && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long first = watch.firstAckAfterGone.get();
        int successor = -1;
        for (int i = 0; i < 20 && first != NO_TIME; i++) {
            Optional<TopicPartitionInfo> after = partition(admin, topic);
            if (after.isPresent()
                    && after.get().leader() != null
                    && after.get().leader().id() != leader) {
                successor = after.get().leader().id();
                break;
            }
            Thread.sleep(250);
        }
        String ms = first == NO_TIME ? "NA" : String.format("%.1f", (first - killed) / 1e6);
        System.out.printf(
                "FAILOVER ms=%s killed=%d pid=%d successor=%d quorum_leader_before=%d dead_after=%.1fms"
                        + " acks_before=%d errors=%d%n",
                ms, leader, pid, successor, controller, (gone - killed) / 1e6, acksBefore, watch.errors.get());
        return first == NO_TIME ? 5 : 0;
    }

    /** Running means present and not a zombie: a killed process stays in the table until its parent reaps it. */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (Exception e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, int timeoutS) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // keep retrying through the whole failover; the client's other settings are its defaults
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(120_000, timeoutS * 1000));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** One 100-byte record per millisecond until stopped. */
    private static void sendLoop(KafkaProducer<byte[], byte[]> producer, String topic, AckWatch watch) {
        byte[] value = new byte[100];
        while (!watch.stop) {
            long sent = System.nanoTime();
            try {
                producer.send(
                        new ProducerRecord<>(topic, 0, null, value),
                        (md, e) -> watch.onAck(sent, System.nanoTime(), e));
            } catch (Exception e) {
                watch.errors.incrementAndGet();
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * What the producer's callbacks saw. The failover ends at the first acknowledgement of a record sent after the
     * old leader's process was gone: an earlier record may have been acknowledged by the old leader itself (its
     * response already on the wire when it died), so its acknowledgement says nothing about the successor.
     */
    static final class AckWatch {
        final AtomicLong acks = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong firstAckAfterGone = new AtomicLong(NO_TIME);
        volatile long gone = NO_TIME;
        volatile boolean stop;

        void markGone(long nanos) {
            gone = nanos;
        }

        void onAck(long sentNanos, long ackNanos, Exception error) {
            if (error != null) {
                errors.incrementAndGet();
                return;
            }
            acks.incrementAndGet();
            long g = gone;
            if (g != NO_TIME && sentNanos - g > 0) {
                firstAckAfterGone.compareAndSet(NO_TIME, ackNanos);
            }
        }

        /** The first acknowledgement of a record sent after {@link #markGone}, or empty. */
        OptionalLong firstAckAfterGone() {
            long t = firstAckAfterGone.get();
            return t == NO_TIME ? OptionalLong.empty() : OptionalLong.of(t);
        }
    }
}
