package dev.tributary.metadata.quorum;

import dev.tributary.metadata.apply.Applied;
import dev.tributary.metadata.apply.MetadataApplier;
import dev.tributary.metadata.codec.CommandCodec;
import dev.tributary.metadata.codec.ImageCodec;
import dev.tributary.metadata.codec.MetadataFormatException;
import dev.tributary.metadata.codec.ResultCodec;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.MetadataImage;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster metadata as a Ratis state machine: committed log entries are {@link MetadataCommand}s, applied
 * with {@link MetadataApplier} to an immutable {@link MetadataImage} held in one volatile field.
 *
 * <p>Threads: Ratis calls {@code applyTransaction}, {@code notifyTermIndexUpdated}, {@code takeSnapshot} and
 * {@code reinitialize} from its one apply thread, in log order; that thread is the only writer of the image
 * and the thread listeners run on. {@link #image()} and {@code query} may be called from any thread.
 *
 * <p>Time: on the leader, {@link #startTransaction} stamps {@link MetadataCommand.Timed} commands with the
 * leader's clock before they enter the log, so applying never reads a clock.
 *
 * <p>Snapshots: one file per snapshot in Ratis' state machine directory, named by Ratis' convention
 * {@code snapshot.<term>_<index>} with an MD5 file beside it; its content is {@link ImageCodec}'s. A node
 * that falls behind the leader's log gets the leader's latest snapshot file from Ratis and reloads it in
 * {@link #reinitialize}.
 */
public class MetadataStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);
    /** The one read-only query: the whole image, {@link ImageCodec}-encoded. */
    static final byte QUERY_IMAGE = 1;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final LongSupplier clock;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong snapshotsLoaded = new AtomicLong();
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    /** @param clock the wall clock the leader stamps commands with (milliseconds) */
    public MetadataStateMachine(LongSupplier clock) {
        this.clock = clock;
    }

    public MetadataStateMachine() {
        this(System::currentTimeMillis);
    }

    /** The latest applied image; never null. */
    public MetadataImage image() {
        return image;
    }

    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    /** How many snapshots this node has loaded: at start, and each time it installed one from the leader. */
    public long snapshotsLoaded() {
        return snapshotsLoaded.get();
    }

    /** How many snapshots this node has installed from the leader because it lagged behind the leader's log. */
    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public synchronized void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Loads the newest snapshot in the directory: the one just installed from the leader. */
    @Override
    public synchronized void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        snapshotsInstalled.incrementAndGet();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path path = snapshot.getFile().getPath();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), md5);
        }
        MetadataImage loaded;
        try {
            loaded = ImageCodec.decode(Files.readAllBytes(path), path.toString());
        } catch (MetadataFormatException e) {
            throw new IOException(e.getMessage(), e);
        }
        TermIndex named = snapshot.getTermIndex();
        if (loaded.offset() != named.getIndex() || loaded.epoch() != named.getTerm()) {
            throw new IOException("metadata snapshot " + path + " holds offset " + loaded.offset() + " epoch "
                    + loaded.epoch() + " but is named for " + named);
        }
        MetadataImage previous = image;
        image = loaded;
        setLastAppliedTermIndex(named);
        snapshotsLoaded.incrementAndGet();
        LOG.info(
                "Loaded metadata snapshot {} ({} brokers, {} topics)",
                path,
                loaded.brokers().size(),
                loaded.topics().size());
        notifyListeners(previous, loaded);
    }

    /** On the leader only: refuse what cannot be decoded before it enters the log, and stamp the time. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        byte[] bytes = request.getMessage().getContent().toByteArray();
        MetadataCommand command;
        try {
            command = CommandCodec.decode(bytes);
        } catch (MetadataFormatException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (command instanceof MetadataCommand.Timed timed) {
            bytes = CommandCodec.encode(timed.withNowMs(clock.getAsLong()));
        }
        return TransactionContext.newBuilder()
                .setStateMachine(this)
                .setClientRequest(request)
                .setLogData(ByteString.copyFrom(bytes))
                .build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        MetadataImage before = image;
        MetadataImage after;
        CommandResult result;
        try {
            MetadataCommand command = CommandCodec.decode(
                    entry.getStateMachineLogEntry().getLogData().toByteArray());
            Applied applied = MetadataApplier.apply(before, command);
            after = applied.image();
            result = applied.result();
        } catch (MetadataFormatException e) {
            // Every node reads the same bytes and refuses them the same way, so the images stay equal.
            LOG.error("Metadata log entry {} cannot be read and is skipped: {}", entry.getIndex(), e.getMessage());
            after = before;
            result = new CommandResult.Rejected(MetadataError.INVALID_REQUEST, e.getMessage());
        }
        boolean changed = after != before;
        after = after.withOffset(entry.getIndex(), entry.getTerm());
        image = after;
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        if (changed) {
            notifyListeners(before, after);
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(ResultCodec.encode(result))));
    }

    /** Entries that are not commands (configuration, the leader's first entry) still move the image's offset,
     * so a snapshot taken now is named for the last applied index, as Ratis expects. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        MetadataImage current = image;
        if (index > current.offset()) {
            image = current.withOffset(index, term);
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataImage snap = image;
        if (snap.offset() <= 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(snap.epoch(), snap.offset());
        Path tmp = file.toPath().resolveSibling(file.getName() + ".tmp");
        byte[] bytes = ImageCodec.encode(snap);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        TermIndex termIndex = TermIndex.valueOf(snap.epoch(), snap.offset());
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), termIndex));
        LOG.debug("Took metadata snapshot {} ({} bytes)", file, bytes.length);
        return snap.offset();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        ByteString content = request.getContent();
        if (content.size() != 1 || content.byteAt(0) != QUERY_IMAGE) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("unknown metadata query of " + content.size() + " bytes"));
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(ImageCodec.encode(image))));
    }

    private void notifyListeners(MetadataImage previous, MetadataImage current) {
        for (MetadataListener listener : listeners) {
            try {
                listener.onChange(previous, current);
            } catch (RuntimeException e) {
                LOG.error("Metadata listener {} failed on the change to offset {}", listener, current.offset(), e);
            }
        }
    }
}
