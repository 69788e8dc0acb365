package dev.tributary.broker.producer;

/** A batch as found in the log during a rebuild: its producer fields and the offsets it occupies. */
public record LoggedBatch(ProducerBatch batch, long firstOffset, long lastOffset) {}
