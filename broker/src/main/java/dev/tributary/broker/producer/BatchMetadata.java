package dev.tributary.broker.producer;

/**
 * What the broker remembers of one appended batch of an idempotent producer: enough to recognise a retry
 * of it and to answer that retry with the offsets the original got.
 *
 * @param firstSequence sequence of its first record
 * @param lastSequence  sequence of its last record
 * @param firstOffset   offset assigned to its first record
 * @param lastOffset    offset assigned to its last record
 * @param timestamp     its max timestamp
 */
public record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset, long timestamp) {}
