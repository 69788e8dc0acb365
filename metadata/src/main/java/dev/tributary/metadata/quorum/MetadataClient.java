package dev.tributary.metadata.quorum;

import dev.tributary.metadata.codec.CommandCodec;
import dev.tributary.metadata.codec.ImageCodec;
import dev.tributary.metadata.codec.ResultCodec;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.image.MetadataImage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits commands to the metadata quorum, from any node: Ratis finds the leader and follows it when it
 * changes. A retried submission is applied once (Ratis' retry cache recognises the call). Thread-safe.
 *
 * <p>A Ratis client whose ordered async call ran out of retries closes its request window for good: every
 * later call fails at once with {@link AlreadyClosedException}. A quorum without a leader for longer than the
 * retries last (all voters restarting, say) would so leave a node unable to heartbeat until it restarted.
 * This client therefore replaces its Ratis client after such a failure; the failed call itself still fails,
 * and the caller decides whether to submit again (a new Ratis client is a new caller to the retry cache).
 */
public final class MetadataClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataClient.class);

    private final Supplier<RaftClient> factory;
    private volatile RaftClient client;
    private volatile boolean closed;

    MetadataClient(Supplier<RaftClient> factory) {
        this.factory = factory;
        this.client = factory.get();
    }

    /**
     * The command's result once it is committed and applied on the leader. Completes exceptionally with
     * {@link QuorumUnavailableException} if the quorum could not take it.
     */
    public CompletableFuture<CommandResult> submit(MetadataCommand command) {
        Message message = Message.valueOf(ByteString.copyFrom(CommandCodec.encode(command)));
        RaftClient used = client;
        return used.async().send(message).handle((reply, error) -> {
            renewIfSpent(used, error);
            return ResultCodec.decode(payload(reply, error, "command " + command));
        });
    }

    /** {@link #submit} and wait at most {@code timeout}. */
    public CommandResult submitAndWait(MetadataCommand command, Duration timeout) {
        return await(submit(command), timeout, "command " + command);
    }

    /** The leader's image, read after every command committed before this call (a linearizable read). */
    public CompletableFuture<MetadataImage> readImage() {
        Message query = Message.valueOf(ByteString.copyFrom(new byte[] {MetadataStateMachine.QUERY_IMAGE}));
        RaftClient used = client;
        return used.async().sendReadOnly(query).handle((reply, error) -> {
            renewIfSpent(used, error);
            return ImageCodec.decode(payload(reply, error, "image read"), "from the quorum");
        });
    }

    /**
     * Replaces {@code used} after a failed call. An ordered async call fails only once Ratis gave up on it (out
     * of retries, or an error it does not retry), and either way it has closed the request window; answers the
     * state machine refused come back as replies, not as failures, and keep the client.
     */
    private void renewIfSpent(RaftClient used, Throwable error) {
        if (error == null || closed) {
            return;
        }
        synchronized (this) {
            if (closed || client != used) {
                return; // another failed call renewed it already
            }
            client = factory.get();
        }
        LOG.info(
                "Replaced the metadata quorum client {}, which Ratis gave up on: {}",
                used.getId(),
                String.valueOf(error));
        // closed on another thread: this one may be the old client's own callback thread
        CompletableFuture.runAsync(() -> {
            try {
                used.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the spent quorum client {} failed", used.getId(), e);
            }
        });
    }

    private static byte[] payload(RaftClientReply reply, Throwable error, String what) {
        if (error != null) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            throw new QuorumUnavailableException("the metadata quorum did not take the " + what + ": " + cause, cause);
        }
        if (!reply.isSuccess()) {
            throw new QuorumUnavailableException(
                    "the metadata quorum refused the " + what + ": " + reply.getException(), reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuorumUnavailableException("interrupted waiting for the " + what, e);
        } catch (TimeoutException e) {
            throw new QuorumUnavailableException(
                    "no answer to the " + what + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QuorumUnavailableException q) {
                throw q;
            }
            throw new QuorumUnavailableException("the " + what + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        client.close();
    }
}
