package dev.tributary.broker.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Produces one record per stdin line; with {@code --key-separator}, the text before it is the key. */
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Produce stdin lines as records.")
public final class ProduceCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--key-separator", paramLabel = "SEP", description = "Split each line into key SEP value.")
    String keySeparator;

    @Option(names = "--acks", defaultValue = "all", description = "0, 1 or all (default ${DEFAULT-VALUE}).")
    String acks;

    @Option(names = "--compression", defaultValue = "none", description = "none, gzip, snappy, lz4, zstd.")
    String compression;

    @Option(names = "--partition", description = "Send every record to this partition.")
    Integer partition;

    @Option(names = "--idempotent", description = "Use an idempotent producer (needs InitProducerId on the broker).")
    boolean idempotent;

    @Override
    public Integer call() throws Exception {
        Properties p = client.props();
        p.put("acks", acks);
        p.put("compression.type", compression);
        p.put("linger.ms", "5");
        p.put("enable.idempotence", Boolean.toString(idempotent));
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long lastReport = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && failure.get() == null) {
                String key = null;
                String value = line;
                if (keySeparator != null) {
                    int i = line.indexOf(keySeparator);
                    if (i >= 0) {
                        key = line.substring(0, i);
                        value = line.substring(i + keySeparator.length());
                    }
                }
                producer.send(new ProducerRecord<>(topic, partition, key, value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                sent++;
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    System.err.printf("... %d records sent, %d acknowledged%n", sent, acked.get());
                    lastReport = System.nanoTime();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            System.err.println("error: " + failure.get().getMessage());
            return 1;
        }
        System.err.printf("Produced %d records to %s%n", acked.get(), topic);
        return 0;
    }
}
