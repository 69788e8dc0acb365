/**
 * Multi-process fault tests of the cluster, and the small kit they share (public, for other modules' tests
 * through the broker test-jar).
 *
 * <ul>
 *   <li>{@link dev.tributary.broker.faults.DeliveryChecker}: every acknowledged record read back exactly once and in
 *       order, no offset with two values. Pure; {@link dev.tributary.broker.faults.CommittedOffsetLog} does the same
 *       for a group's committed offsets (never backwards, never lost).
 *   <li>{@link dev.tributary.broker.faults.ProducerLoad}: an idempotent {@code acks=all} producer thread with unique
 *       values, failed sends counted, acknowledgement times kept for stall measurements;
 *       {@link dev.tributary.broker.faults.GroupReader}: a consumer-group member that commits and reports.
 *   <li>{@link dev.tributary.broker.faults.FaultCluster}: three broker processes
 *       ({@link dev.tributary.broker.ClusterProcesses}), topics at replication factor 3 with
 *       {@code min.insync.replicas=2}, the shared waits, the final read-back and, on a delivery problem, the
 *       replicas' batches around it.
 * </ul>
 *
 * <p>The scenarios (LeaderKillLoopTest, RollingRestartTest, QuorumLeaderKillTest, DiskLossTest) are short by
 * default, for CI on two cores; {@code -Dtributary.faults.long=true} runs more rounds. Every fault loop is bounded
 * in count and every wait in time.
 */
package dev.tributary.broker.faults;
