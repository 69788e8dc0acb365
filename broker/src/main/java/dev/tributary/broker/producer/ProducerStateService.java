package dev.tributary.broker.producer;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.config.BrokerConfig;
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
 * the log is replayed after a crash. A clean shutdown writes a last snapshot before the logs close.
 */
public final class ProducerStateService {

    private ProducerStateService() {}

    /** The pieces the protocol adapter and the produce path use. */
    public record Started(ProducerIdManager ids, IdempotentProducers producers) {}

    public static Started start(BrokerServices services) {
        ProducerIdManager ids;
        try {
            ids = ProducerIdManager.open(services.config().dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "opening the producer id block in " + services.config().dataDir(), e);
        }
        IdempotentProducers producers = new IdempotentProducers(id -> {
            Partition p = services.partitions().get(id);
            return p == null
                    ? null
                    : new IdempotentProducers.PartitionLog() {
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
                            return segments.size() < 2
                                    ? p.logStartOffset()
                                    : segments.get(segments.size() - 2).baseOffset();
                        }

                        @Override
                        public Iterator<RecordBatch> batches(long fromOffset) {
                            return p.log().batches(fromOffset);
                        }
                    };
        });
        services.produceValidator(producers);
        long expiration =
                services.config().getMs(BrokerConfig.PRODUCER_ID_EXPIRATION_MS, 86_400_000L, 1, Long.MAX_VALUE);
        long checkInterval = services.config()
                .getMs(BrokerConfig.PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS, 600_000L, 1, Long.MAX_VALUE);
        long snapshotInterval =
                services.config().getMs(BrokerConfig.PRODUCER_STATE_SNAPSHOT_INTERVAL_MS, 10_000L, 1, Long.MAX_VALUE);
        services.scheduler()
                .schedulePeriodic(
                        "producer-id-expiration",
                        checkInterval,
                        () -> producers.removeExpired(services.clock().millis(), expiration));
        services.scheduler().schedulePeriodic("producer-state-snapshot", snapshotInterval, producers::snapshotAll);
        // At a clean shutdown, snapshot at the log end so the next start restores without replaying the log.
        services.beforeLogsClose(producers::snapshotAll);
        return new Started(ids, producers);
    }
}
