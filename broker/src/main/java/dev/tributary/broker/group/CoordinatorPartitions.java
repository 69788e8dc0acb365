package dev.tributary.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which {@code __consumer_offsets} partitions this node coordinates, and in which phase: the bookkeeping of
 * loads and unloads, without I/O (Kafka's owned and loading partitions of its group metadata manager).
 *
 * <p>A partition is <b>loading</b> from the moment this node becomes its leader (under a leader epoch) until its
 * groups are read from the log, then <b>served</b> by the value {@code T} built from them (a coordinator). A load
 * finishes only if the partition is still loading under the same epoch: a load that lost a race with a newer
 * leadership, or with losing the leadership, is dropped. Becoming leader again under a new epoch starts over,
 * since another leader may have written in between.
 *
 * <p>Thread-safe: every method is atomic under this object's monitor. The role changes come from one thread;
 * lookups from request handlers.
 *
 * @param <T> what serves a loaded partition
 */
public final class CoordinatorPartitions<T> {

    /** Where a partition stands on this node. */
    public sealed interface Lookup<T> {}

    /** This node does not coordinate the partition's groups ({@code NOT_COORDINATOR}). */
    public record NotOwned<T>() implements Lookup<T> {}

    /** This node leads the partition and is reading it ({@code COORDINATOR_LOAD_IN_PROGRESS}). */
    public record Loading<T>(int epoch) implements Lookup<T> {}

    /** This node serves the partition's groups with {@code value}, loaded under {@code epoch}. */
    public record Served<T>(int epoch, T value) implements Lookup<T> {}

    private final Map<Integer, Lookup<T>> partitions = new HashMap<>();

    /**
     * This node leads {@code partition} under {@code epoch} from now on, and starts reading it.
     *
     * @return what served the partition until now (under an older leadership), for the caller to close; else null
     */
    public synchronized T startLoading(int partition, int epoch) {
        Lookup<T> before = partitions.put(partition, new Loading<>(epoch));
        return before instanceof Served<T> s ? s.value() : null;
    }

    /**
     * The load of {@code partition} under {@code epoch} is done: serve it with {@code value}.
     *
     * @return false, serving nothing, if the partition is no longer loading under that epoch
     */
    public synchronized boolean finishLoading(int partition, int epoch, T value) {
        if (partitions.get(partition) instanceof Loading<T> l && l.epoch() == epoch) {
            partitions.put(partition, new Served<>(epoch, value));
            return true;
        }
        return false;
    }

    /**
     * This node no longer leads {@code partition}.
     *
     * @return what served it, for the caller to close; null if it was loading or not owned
     */
    public synchronized T unload(int partition) {
        Lookup<T> before = partitions.remove(partition);
        return before instanceof Served<T> s ? s.value() : null;
    }

    public synchronized Lookup<T> lookup(int partition) {
        Lookup<T> l = partitions.get(partition);
        return l == null ? new NotOwned<>() : l;
    }

    /** What serves each loaded partition now. */
    public synchronized List<T> served() {
        List<T> out = new ArrayList<>();
        for (Lookup<T> l : partitions.values()) {
            if (l instanceof Served<T> s) {
                out.add(s.value());
            }
        }
        return out;
    }

    /** True while some partition this node leads is still loading (ListGroups would be incomplete). */
    public synchronized boolean anyLoading() {
        return partitions.values().stream().anyMatch(l -> l instanceof Loading<T>);
    }
}
