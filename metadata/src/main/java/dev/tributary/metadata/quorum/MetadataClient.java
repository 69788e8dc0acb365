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
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Submits commands to the metadata quorum, from any node: Ratis finds the leader and follows it when it
 * changes. A retried submission is applied once (Ratis' retry cache recognises the call). Thread-safe.
 */
public final class MetadataClient implements AutoCloseable {

    private final RaftClient client;

    MetadataClient(RaftClient client) {
        this.client = client;
    }

    /**
     * The command's result once it is committed and applied on the leader. Completes exceptionally with
     * {@link QuorumUnavailableException} if the quorum could not take it.
     */
    public CompletableFuture<CommandResult> submit(MetadataCommand command) {
        Message message = Message.valueOf(ByteString.copyFrom(CommandCodec.encode(command)));
        return client.async()
                .send(message)
                .handle((reply, error) -> ResultCodec.decode(payload(reply, error, "command " + command)));
    }

    /** {@link #submit} and wait at most {@code timeout}. */
    public CommandResult submitAndWait(MetadataCommand command, Duration timeout) {
        return await(submit(command), timeout, "command " + command);
    }

    /** The leader's image, read after every command committed before this call (a linearizable read). */
    public CompletableFuture<MetadataImage> readImage() {
        Message query = Message.valueOf(ByteString.copyFrom(new byte[] {MetadataStateMachine.QUERY_IMAGE}));
        return client.async()
                .sendReadOnly(query)
                .handle((reply, error) -> ImageCodec.decode(payload(reply, error, "image read"), "from the quorum"));
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
        client.close();
    }
}
