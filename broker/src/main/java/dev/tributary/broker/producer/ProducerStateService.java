package dev.tributary.broker.producer;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.partition.Partition;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Starts idempotent-producer support inside a broker: the producer-id allocator, the sequence checks on
 * the produce path, and the background jobs — producer-id expiry every
 * {@code producer.id.expiration.check.interval.ms} (10 min) for producers idle
 * {@code producer.id.expiration.ms} (1 day), as Kafka names them, and a snapshot of changed producer
 * state every {@code producer.state.snapshot.interval.ms} (10 s, our own key), which bounds how much of
 * the log is replayed after a crash.
 */
public final class ProducerStateService {

    public static final String EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    public static final String SNAPSHOT_INTERVAL_MS = "producer.state.snapshot.interval.ms";

    private ProducerStateService() {
    }

    /** The pieces the protocol adapter and the produce path use. */
    public record Started(ProducerIdManager ids, IdempotentProducers producers) {
    }

    public static Started start(BrokerServices services) {
        ProducerIdManager ids;
        try {
            ids = ProducerIdManager.open(services.config().dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("opening the producer id block in " + services.config().dataDir(), e);
        }
        IdempotentProducers producers = new IdempotentProducers(id -> {
            Partition p = services.partitions().get(id);
            return p == null ? null : new IdempotentProducers.PartitionLog() {
                @Override
                public Path dir() {
                    return p.log().dir();
                }

                @Override
                public long logStartOffset() {
                    return p.logStartOffset();
                }

                @Override
                public long logEndOffset() {
                    return p.logEndOffset();
                }

                @Override
                public long replayFloor() {
                    List<LogSegment> segments = p.log().segments();
                    return segments.size() < 2 ? p.logStartOffset() : segments.get(segments.size() - 2).baseOffset();
                }

                @Override
                public Iterator<RecordBatch> batches(long fromOffset) {
                    return p.log().batches(fromOffset);
                }
            };
        });
        services.produceValidator(producers);
        long expiration = longSetting(services, EXPIRATION_MS, 86_400_000L);
        long checkInterval = longSetting(services, EXPIRATION_CHECK_INTERVAL_MS, 600_000L);
        long snapshotInterval = longSetting(services, SNAPSHOT_INTERVAL_MS, 10_000L);
        services.scheduler().schedulePeriodic("producer-id-expiration", checkInterval,
                () -> producers.removeExpired(services.clock().millis(), expiration));
        services.scheduler().schedulePeriodic("producer-state-snapshot", snapshotInterval, producers::snapshotAll);
        return new Started(ids, producers);
    }

    private static long longSetting(BrokerServices services, String key, long fallback) {
        String v = services.config().raw().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(v.trim());
            if (parsed <= 0) {
                throw new IllegalArgumentException("Invalid value " + v + " for " + key + ": must be positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value " + v + " for " + key + ": not a number", e);
        }
    }
}
