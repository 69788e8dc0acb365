/**
 * The checks a produce request's batches pass through on their way into a partition's log, and what an
 * append answers.
 *
 * <p>{@link dev.tributary.broker.partition.Partition#append} asks its
 * {@link dev.tributary.broker.append.ProduceValidator} for an {@link dev.tributary.broker.append.AppendDecision}
 * (write, or acknowledge a duplicate without writing) under the partition's append lock, writes, and reports the
 * offsets as an {@link dev.tributary.broker.append.AppendResult}. The idempotent-producer rules that plug in here
 * live in {@code dev.tributary.broker.producer}; this package holds only the seam, so the partition does not
 * depend on them.
 */
package dev.tributary.broker.append;
