package dev.tributary.metadata.quorum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one node runs its part of the metadata quorum.
 *
 * @param nodeId            this node's id ({@code node.id}); with voters, it must be one of them
 * @param voters            {@code controller.quorum.voters}; none means a quorum of one on
 *                          {@code singleNodeHost} at an ephemeral port
 * @param storageDir        where Ratis keeps its log, its vote and the snapshots (created if missing)
 * @param electionTimeoutMin a follower that hears nothing from the leader this long starts an election
 *                          (a random time between min and max); the leader steps down after about as long
 *                          without a majority
 * @param electionTimeoutMax see above
 * @param snapshotThreshold take a snapshot after this many entries since the last one; the log before a
 *                          snapshot is then deleted a segment at a time, so the log stays bounded
 * @param logSegmentBytes   the size at which the Raft log rolls to a new segment; only whole segments
 *                          are deleted, so this bounds what a snapshot leaves behind
 * @param requestTimeout    how long a client waits for one attempt before retrying (at most
 *                          {@code clientAttempts} times, following leader changes)
 * @param clientAttempts    see above
 * @param singleNodeHost    the address a quorum of one listens on
 */
public record QuorumConfig(
        int nodeId,
        QuorumVoters voters,
        Path storageDir,
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        long snapshotThreshold,
        long logSegmentBytes,
        Duration requestTimeout,
        int clientAttempts,
        String singleNodeHost) {

    public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(1000);
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(2000);
    /** Metadata entries are a few hundred bytes: 10,000 of them is a few MB of log between snapshots. */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

    public static final long DEFAULT_LOG_SEGMENT_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_CLIENT_ATTEMPTS = 20;

    public QuorumConfig {
        Objects.requireNonNull(voters, "voters");
        Objects.requireNonNull(storageDir, "storageDir");
        if (!voters.isEmpty()) {
            voters.require(nodeId);
        }
        if (electionTimeoutMin.isNegative()
                || electionTimeoutMin.isZero()
                || electionTimeoutMax.compareTo(electionTimeoutMin) < 0) {
            throw new IllegalArgumentException("election timeout range " + electionTimeoutMin.toMillis() + ".."
                    + electionTimeoutMax.toMillis() + " ms is empty or not positive");
        }
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("snapshot threshold " + snapshotThreshold + " must be at least 1");
        }
        if (clientAttempts < 1) {
            throw new IllegalArgumentException("client attempts " + clientAttempts + " must be at least 1");
        }
    }

    /** A node of the quorum given by {@code voters}, with default timeouts and snapshot settings. */
    public static QuorumConfig of(int nodeId, QuorumVoters voters, Path storageDir) {
        return new QuorumConfig(
                nodeId,
                voters,
                storageDir,
                DEFAULT_ELECTION_TIMEOUT_MIN,
                DEFAULT_ELECTION_TIMEOUT_MAX,
                DEFAULT_SNAPSHOT_THRESHOLD,
                DEFAULT_LOG_SEGMENT_BYTES,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_CLIENT_ATTEMPTS,
                "127.0.0.1");
    }

    /** The single-node default: a quorum of one on loopback, at an ephemeral port. */
    public static QuorumConfig singleNode(int nodeId, Path storageDir) {
        return of(nodeId, QuorumVoters.none(), storageDir);
    }

    public boolean isSingleNode() {
        return voters.isEmpty();
    }

    public QuorumConfig withElectionTimeout(Duration min, Duration max) {
        return new QuorumConfig(
                nodeId,
                voters,
                storageDir,
                min,
                max,
                snapshotThreshold,
                logSegmentBytes,
                requestTimeout,
                clientAttempts,
                singleNodeHost);
    }

    public QuorumConfig withSnapshotThreshold(long entries) {
        return new QuorumConfig(
                nodeId,
                voters,
                storageDir,
                electionTimeoutMin,
                electionTimeoutMax,
                entries,
                logSegmentBytes,
                requestTimeout,
                clientAttempts,
                singleNodeHost);
    }

    public QuorumConfig withLogSegmentBytes(long bytes) {
        return new QuorumConfig(
                nodeId,
                voters,
                storageDir,
                electionTimeoutMin,
                electionTimeoutMax,
                snapshotThreshold,
                bytes,
                requestTimeout,
                clientAttempts,
                singleNodeHost);
    }

    public QuorumConfig withClientRetries(Duration timeout, int attempts) {
        return new QuorumConfig(
                nodeId,
                voters,
                storageDir,
                electionTimeoutMin,
                electionTimeoutMax,
                snapshotThreshold,
                logSegmentBytes,
                timeout,
                attempts,
                singleNodeHost);
    }
}
