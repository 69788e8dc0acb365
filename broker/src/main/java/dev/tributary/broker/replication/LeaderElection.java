package dev.tributary.broker.replication;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who leads a partition, chosen by the metadata quorum's state machine. Pure.
 *
 * <ul>
 *   <li><b>Clean election</b>: the first replica in assignment order that is live (registered and not fenced)
 *       and in the ISR. Assignment order makes the choice the same on every node and keeps leadership on the
 *       preferred replica when it can. The new ISR drops the replicas that are not live, but never becomes
 *       empty.</li>
 *   <li><b>Unclean election</b>, only with {@code unclean.leader.election.enable=true} and only when no ISR member
 *       is live: the first live replica in assignment order, with an ISR of itself alone. Records acknowledged
 *       but not on that replica are lost; that is what the setting trades for availability.</li>
 *   <li>No candidate: {@link LeaderAndIsr#NO_LEADER}, the ISR unchanged (its members are the only replicas that
 *       may lead cleanly once they come back), the partition offline.</li>
 *   <li><b>Preferred leader</b> ({@code kafka-leader-election --election-type PREFERRED},
 *       {@code auto.leader.rebalance.enable}): the first replica of the assignment, if it is live and in the
 *       ISR.</li>
 * </ul>
 * A controlled shutdown is a clean election with the departing node left out of {@code live}.
 */
public final class LeaderElection {
    private LeaderElection() {}

    /**
     * @param leader the chosen node, or {@link LeaderAndIsr#NO_LEADER}
     * @param isr the ISR to commit with it
     * @param unclean whether the leader came from outside the ISR
     */
    public record Result(int leader, Set<Integer> isr, boolean unclean) {
        public Result {
            isr = Set.copyOf(isr);
        }

        public boolean hasLeader() {
            return leader != LeaderAndIsr.NO_LEADER;
        }
    }

    public static Result elect(
            List<Integer> assignment, Set<Integer> isr, Set<Integer> live, boolean uncleanLeaderElectionEnable) {
        for (int id : assignment) {
            if (isr.contains(id) && live.contains(id)) {
                Set<Integer> newIsr = new TreeSet<>(isr);
                newIsr.retainAll(live);
                return new Result(id, newIsr, false);
            }
        }
        if (uncleanLeaderElectionEnable) {
            for (int id : assignment) {
                if (live.contains(id)) {
                    return new Result(id, Set.of(id), true);
                }
            }
        }
        return new Result(LeaderAndIsr.NO_LEADER, isr, false);
    }

    /** The preferred replica, when it may lead now. */
    public static OptionalInt preferredLeader(List<Integer> assignment, Set<Integer> isr, Set<Integer> live) {
        if (assignment.isEmpty()) {
            return OptionalInt.empty();
        }
        int preferred = assignment.get(0);
        return isr.contains(preferred) && live.contains(preferred) ? OptionalInt.of(preferred) : OptionalInt.empty();
    }

    /** Whether a preferred-leader election would move leadership away from {@code currentLeader}. */
    public static boolean shouldMoveToPreferred(
            int currentLeader, List<Integer> assignment, Set<Integer> isr, Set<Integer> live) {
        OptionalInt preferred = preferredLeader(assignment, isr, live);
        return preferred.isPresent() && preferred.getAsInt() != currentLeader;
    }
}
