package dev.tributary.broker.append;

import dev.tributary.broker.partition.PartitionId;
import java.nio.ByteBuffer;

/**
 * The seam where idempotent-producer state plugs into the produce path (owned by
 * {@code dev.tributary.broker.producer}). Both methods run on the appending thread while it holds the
 * partition's append lock, so a check and the state update after the write are atomic with the append.
 *
 * <p>{@link #NO_OP} accepts everything; it is what the broker uses until a real validator is installed
 * with {@code BrokerServices.produceValidator(...)}.
 */
public interface ProduceValidator {

    ProduceValidator NO_OP = new ProduceValidator() {};

    /**
     * Decides what to do with the batches of one partition before they are written.
     *
     * @param partition where they go
     * @param batches one or more v2 record batches exactly as the producer sent them (read-only view;
     *     read producer id/epoch/sequence with core-log's {@code RecordBatch} flyweight)
     * @param logEndOffset the offset the first record would get
     * @return {@link AppendDecision#append()} to write them, or {@link AppendDecision#duplicate} to
     *     acknowledge an earlier write without writing again
     * @throws RuntimeException to reject them; the exception's class needs a row in
     *     {@code protocol.ErrorCodes} (e.g. OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH)
     */
    default AppendDecision beforeAppend(PartitionId partition, ByteBuffer batches, long logEndOffset) {
        return AppendDecision.append();
    }

    /** Called after the batches were written, with the offsets they got. */
    default void afterAppend(PartitionId partition, ByteBuffer batches, AppendResult result) {}
}
