package dev.tributary.broker.group;

import java.util.List;
import java.util.function.Consumer;

/**
 * A member of a group as the coordinator tracks it. Mutable; guarded by the coordinator's lock.
 */
final class GroupMember {

    final String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<JoinGroup.Protocol> protocols;
    byte[] assignment = new byte[0];

    /** Set while the member waits for the join phase to finish. */
    Consumer<JoinGroup.Result> joinCallback;
    /** Set while the member waits for the leader's assignment. */
    Consumer<SyncGroup.Result> syncCallback;
    /** Broker time after which the member is considered gone unless it is waiting on us. */
    long heartbeatDeadline;

    GroupMember(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            List<JoinGroup.Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = protocols;
    }

    boolean isAwaitingJoin() {
        return joinCallback != null;
    }

    boolean isAwaitingSync() {
        return syncCallback != null;
    }

    /** @return this member's metadata for a protocol, or null if it does not support it */
    byte[] metadata(String protocol) {
        for (JoinGroup.Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean supports(String protocol) {
        return metadata(protocol) != null;
    }

    /** @return true when the list of protocols (names and metadata) equals the current one */
    boolean sameProtocols(List<JoinGroup.Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !java.util.Arrays.equals(
                            other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }
}
