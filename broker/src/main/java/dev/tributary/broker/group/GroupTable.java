package dev.tributary.broker.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups one coordinator knows, shared by {@link GroupCoordinator} (membership), {@link OffsetManager}
 * (committed offsets) and {@link GroupLoader} (startup), and the two locks that order their work.
 *
 * <h2>Locks</h2>
 * <ul>
 *   <li>{@link #lock} guards {@link #groups} and everything inside each {@link Group}. It is held only for
 *       in-memory decisions, never across a store write, so heartbeats and joins do not wait for the disk.</li>
 *   <li>{@link #writeLock} orders the writes to the {@link GroupStore}. A change that must be persisted plans
 *       under {@code lock}, writes holding only {@code writeLock}, then applies its outcome under {@code lock}
 *       again, all inside one {@code writeLock} section; so the in-memory state follows the order of the log,
 *       and between plan and apply no other writer changes what was planned. Lock order: {@code writeLock}
 *       before {@code lock}, never the other way.</li>
 * </ul>
 * Only writers remove a group from the map, so a writer sees the group it planned with when it applies.
 *
 * <p>Responses are not sent under either lock: work collects them in an outbox ({@code List<Runnable>}),
 * and {@link #run} sends them after the locks are released, so a callback that hands a response to the
 * network layer cannot deadlock with it.
 */
final class GroupTable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupTable.class);

    final Object lock = new Object();
    final Object writeLock = new Object();
    final Map<String, Group> groups = new HashMap<>();
    final GroupStore store;

    GroupTable(GroupStore store) {
        this.store = store;
    }

    /** Queues a callback's answer in the outbox. */
    static <T> void reply(List<Runnable> out, Consumer<T> callback, T result) {
        out.add(() -> callback.accept(result));
    }

    /** Runs the outbox; call with no lock held. */
    static void run(List<Runnable> out) {
        for (Runnable r : out) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("Group response callback failed", e);
            }
        }
    }
}
