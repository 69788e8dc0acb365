package dev.tributary.metadata.quorum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one node runs its part of the metadata quorum.
 *
 * @param nodeId            this node's id ({@code node.id}); with voters, a listed id makes this node a voter,
 *                          any other id an observer (see {@code observerAddress})
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
 * @param observerAddress   where an observer's Ratis server listens, and the address the voters send the log
 *                          to; required for an observer (a node.id not among the voters), unused otherwise. It
 *                          must stay the same across restarts: a running leader keeps the address it first
 *                          dialled for a peer
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
        String singleNodeHost,
        Address observerAddress) {

    /** A host and a fixed port. */
    public record Address(String host, int port) {
        public Address {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65535");
            }
        }

        /** {@code host:port}, with brackets around an IPv6 host. */
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

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
        if (!voters.isEmpty() && voters.voter(nodeId).isEmpty() && observerAddress == null) {
            throw new IllegalArgumentException("node " + nodeId + " is not among the voters " + voters
                    + ", so it observes the quorum and needs an address for its Ratis server");
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
                "127.0.0.1",
                null);
    }

    /**
     * A node that is not among {@code voters}: it runs no voter, but a Ratis listener at {@code address} that
     * the voters add to the group when it asks, and then send the committed log and snapshots to.
     */
    public static QuorumConfig observer(int nodeId, QuorumVoters voters, Path storageDir, Address address) {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("an observer needs voters to observe");
        }
        if (voters.voter(nodeId).isPresent()) {
            throw new IllegalArgumentException("node " + nodeId + " is a voter of " + voters + ", not an observer");
        }
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
                "127.0.0.1",
                Objects.requireNonNull(address, "address"));
    }

    /** The single-node default: a quorum of one on loopback, at an ephemeral port. */
    public static QuorumConfig singleNode(int nodeId, Path storageDir) {
        return of(nodeId, QuorumVoters.none(), storageDir);
    }

    public boolean isSingleNode() {
        return voters.isEmpty();
    }

    /** True for a node of a cluster that is not one of its voters: it follows the log but never votes. */
    public boolean isObserver() {
        return !voters.isEmpty() && voters.voter(nodeId).isEmpty();
    }

    public QuorumConfig withObserverAddress(Address address) {
        return new QuorumConfig(
                nodeId,
                voters,
                storageDir,
                electionTimeoutMin,
                electionTimeoutMax,
                snapshotThreshold,
                logSegmentBytes,
                requestTimeout,
                clientAttempts,
                singleNodeHost,
                address);
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
                singleNodeHost,
                observerAddress);
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
                singleNodeHost,
                observerAddress);
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
                singleNodeHost,
                observerAddress);
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
                singleNodeHost,
                observerAddress);
    }
}
