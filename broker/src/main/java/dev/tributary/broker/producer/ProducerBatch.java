package dev.tributary.broker.producer;

/**
 * The producer fields of one v2 record batch, as the sequence checks need them: who wrote it (producer id
 * and epoch) and which sequence numbers it carries. Read from the batch header before it is appended, so
 * no offsets are known yet.
 *
 * <p>Sequences wrap from {@link Integer#MAX_VALUE} to 0, as the Kafka producer wraps them, so the last
 * sequence of a batch may be smaller than its base sequence.
 *
 * @param producerId    producer id, or -1 for a batch from a non-idempotent producer
 * @param epoch         producer epoch
 * @param baseSequence  sequence of the first record
 * @param recordCount   records in the batch (last offset delta + 1)
 * @param maxTimestamp  the batch's max timestamp, used as the producer's last activity time as Kafka does
 */
public record ProducerBatch(long producerId, short epoch, int baseSequence, int recordCount, long maxTimestamp) {

    /** The producer id of batches that carry no producer state. */
    public static final long NO_PRODUCER_ID = -1L;

    public ProducerBatch {
        if (recordCount < 1) {
            throw new IllegalArgumentException("recordCount must be positive, was " + recordCount);
        }
    }

    /** @return true when the batch comes from an idempotent producer and takes part in sequence checks */
    public boolean isIdempotent() {
        return producerId >= 0;
    }

    /** @return the sequence of the last record, wrapping past {@link Integer#MAX_VALUE} */
    public int lastSequence() {
        return addSequence(baseSequence, recordCount - 1);
    }

    /** Adds to a sequence number with the producer's wrap-around at {@link Integer#MAX_VALUE}. */
    public static int addSequence(int sequence, int increment) {
        long sum = (long) sequence + increment;
        return (int) (sum > Integer.MAX_VALUE ? sum - Integer.MAX_VALUE - 1 : sum);
    }
}
