package dev.tributary.metadata.apply;

import dev.tributary.metadata.image.PartitionState;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which replica leads a partition. Pure: the caller says which brokers are live.
 *
 * <p>A clean choice is the first replica, in assignment order, that is live and in the ISR: assignment order
 * keeps leaders spread the way the assignment spread them. Only when no ISR member is live, and only when
 * the caller allows it, an unclean choice takes the first live replica outside the ISR; that replica may
 * lack acknowledged records, so it becomes the whole ISR and the records it lacks are lost.
 */
public final class LeaderElection {

    /** The chosen leader ({@link PartitionState#NO_LEADER} if none) and whether the choice was unclean. */
    public record Choice(int leader, boolean unclean) {
        public static final Choice NONE = new Choice(PartitionState.NO_LEADER, false);

        public boolean found() {
            return leader != PartitionState.NO_LEADER;
        }
    }

    private LeaderElection() {}

    public static Choice choose(List<Integer> replicas, List<Integer> isr, IntPredicate live, boolean uncleanAllowed) {
        for (int replica : replicas) {
            if (isr.contains(replica) && live.test(replica)) {
                return new Choice(replica, false);
            }
        }
        if (uncleanAllowed) {
            for (int replica : replicas) {
                if (live.test(replica)) {
                    return new Choice(replica, true);
                }
            }
        }
        return Choice.NONE;
    }

    /** The new state of {@code p} with a freshly chosen leader (no leader if none can be chosen). */
    public static PartitionState elect(PartitionState p, IntPredicate live, boolean uncleanAllowed) {
        return elect(p, p.isr(), live, uncleanAllowed);
    }

    /** As {@link #elect(PartitionState, IntPredicate, boolean)}, choosing from (and keeping) {@code isr}. */
    public static PartitionState elect(PartitionState p, List<Integer> isr, IntPredicate live, boolean uncleanAllowed) {
        Choice choice = choose(p.replicas(), isr, live, uncleanAllowed);
        if (!choice.found()) {
            return p.withLeaderAndIsr(PartitionState.NO_LEADER, isr);
        }
        return p.withLeaderAndIsr(choice.leader(), choice.unclean() ? List.of(choice.leader()) : isr);
    }
}
