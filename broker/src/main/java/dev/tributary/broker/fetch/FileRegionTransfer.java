package dev.tributary.broker.fetch;

import dev.tributary.broker.network.ZeroCopyRegion;
import dev.tributary.log.FileRegion;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/** Plaintext zero-copy: core-log's region handed to the socket with FileChannel.transferTo (sendfile). */
public record FileRegionTransfer(FileRegion region) implements ZeroCopyRegion {

    @Override
    public long size() {
        return region.length();
    }

    @Override
    public long transferTo(WritableByteChannel target, long offset, long count) throws IOException {
        return region.transferTo(target, offset, count);
    }
}
