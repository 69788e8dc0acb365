/**
 * Idempotent producers: producer ids, per-partition sequence checks, and their persistence.
 *
 * <h2>Who owns what</h2>
 * <ul>
 *   <li>{@link dev.tributary.broker.producer.ProducerIdManager} with
 *       {@link dev.tributary.broker.producer.ProducerIdBlockFile} ({@code <data dir>/producer-id-block}) —
 *       InitProducerId's ids, reserved in blocks of 1000 so they never repeat across restarts.</li>
 *   <li>{@link dev.tributary.broker.producer.ProducerStateManager} — one partition's producers (epoch and
 *       last five batches each) and the sequence rules; pure logic.</li>
 *   <li>{@link dev.tributary.broker.producer.ProducerSnapshotFile}
 *       ({@code <partition dir>/<offset>.producer-state}) and
 *       {@link dev.tributary.broker.producer.ProducerStateLoader} — snapshot and restore: newest readable
 *       snapshot, then replay of the log's batches after it (after {@code kill -9} that replay is what
 *       makes retries of unacknowledged batches come back as duplicates).</li>
 *   <li>{@link dev.tributary.broker.producer.IdempotentProducers} — the broker's
 *       {@code ProduceValidator}: checks before and records after each append, under the partition's
 *       append lock; duplicates are acknowledged with their original offsets and not written.</li>
 *   <li>{@link dev.tributary.broker.producer.ProducerStateService} — wiring: installs the validator and
 *       schedules expiry ({@code producer.id.expiration.ms}, checked every
 *       {@code producer.id.expiration.check.interval.ms}) and snapshots
 *       ({@code producer.state.snapshot.interval.ms}).</li>
 * </ul>
 * Errors: {@link dev.tributary.broker.producer.OutOfOrderSequenceException} and
 * {@link dev.tributary.broker.producer.InvalidProducerEpochException}, mapped in
 * {@code protocol.ErrorCodes}. Transactions are not supported: InitProducerId with a transactional id and
 * FindCoordinator for transactions answer INVALID_REQUEST.
 */
package dev.tributary.broker.producer;
