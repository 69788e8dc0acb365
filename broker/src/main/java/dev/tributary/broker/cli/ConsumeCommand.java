package dev.tributary.broker.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints records of a topic, one per line. Without {@code --group} it assigns every partition itself
 * (no consumer group); the start is the end of the log unless told otherwise.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, description = "Print records of a topic.")
public final class ConsumeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the log start offset.")
        boolean fromBeginning;

        @Option(names = "--offset", paramLabel = "N", description = "Start every partition at offset N.")
        Long offset;

        @Option(
                names = "--from-timestamp",
                paramLabel = "ISO",
                description = "Start at the first record at or after this time, e.g. 2026-01-01T00:00:00Z.")
        String fromTimestamp;

        @Option(
                names = "--group",
                paramLabel = "G",
                description = "Consume as a member of consumer group G (committed offsets).")
        String group;
    }

    @ArgGroup(exclusive = true)
    Start start = new Start();

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Stop after this long without a record.")
    Long timeoutMs;

    @Option(names = "--print-key", description = "Print key<TAB>value.")
    boolean printKey;

    @Option(names = "--print-headers", description = "Print headers as [k=v,...] before the value.")
    boolean printHeaders;

    @Override
    public Integer call() throws Exception {
        Properties p = client.props();
        // With a group, commit exactly what was printed: a poll may return more than --max leaves room for.
        p.put("enable.auto.commit", "false");
        if (start.group != null) {
            p.put("group.id", start.group);
            p.put("auto.offset.reset", "earliest");
        }
        long count = 0;
        Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            if (start.group != null) {
                c.subscribe(List.of(topic));
            } else {
                assign(c);
            }
            long idleSince = System.currentTimeMillis();
            long lastReport = System.nanoTime();
            while (max == null || count < max) {
                var records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (timeoutMs != null && System.currentTimeMillis() - idleSince > timeoutMs) {
                        break;
                    }
                    continue;
                }
                idleSince = System.currentTimeMillis();
                for (ConsumerRecord<String, String> r : records) {
                    print(r);
                    printed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    if (max != null && ++count >= max) {
                        break;
                    } else if (max == null) {
                        count++;
                    }
                }
                System.out.flush();
                if (start.group != null && !printed.isEmpty()) {
                    c.commitSync(printed);
                    printed.clear();
                }
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    System.err.printf("... %d records consumed%n", count);
                    lastReport = System.nanoTime();
                }
            }
        }
        System.err.printf("Consumed %d records%n", count);
        return 0;
    }

    private void assign(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo info : infos) {
            tps.add(new TopicPartition(topic, info.partition()));
        }
        c.assign(tps);
        if (start.fromBeginning) {
            c.seekToBeginning(tps);
        } else if (start.offset != null) {
            tps.forEach(tp -> c.seek(tp, start.offset));
        } else if (start.fromTimestamp != null) {
            long ts = parseTime(start.fromTimestamp);
            Map<TopicPartition, Long> query = new HashMap<>();
            tps.forEach(tp -> query.put(tp, ts));
            Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
            for (TopicPartition tp : tps) {
                OffsetAndTimestamp o = found.get(tp);
                if (o != null) {
                    c.seek(tp, o.offset());
                } else {
                    c.seekToEnd(List.of(tp));
                }
            }
        } else {
            c.seekToEnd(tps);
        }
    }

    static long parseTime(String iso) {
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return Instant.parse(iso).toEpochMilli();
        }
    }

    private void print(ConsumerRecord<String, String> r) {
        StringBuilder sb = new StringBuilder();
        if (printKey) {
            sb.append(r.key()).append('\t');
        }
        if (printHeaders) {
            sb.append('[');
            boolean first = true;
            for (Header h : r.headers()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(h.key())
                        .append('=')
                        .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
            }
            sb.append("]\t");
        }
        sb.append(r.value());
        System.out.println(sb);
    }
}
