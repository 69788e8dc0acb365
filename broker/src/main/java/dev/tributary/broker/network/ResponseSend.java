package dev.tributary.broker.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.List;

/**
 * One encoded response frame: heap buffers (size prefix, header, per-partition metadata)
 * interleaved with zero-copy file regions (record data), written in order.
 *
 * <p>Not thread safe: after the handler hands it over, only the owning processor thread touches it.
 */
public final class ResponseSend {
    private final Object[] parts; // each a ByteBuffer or a ZeroCopyRegion
    private final long size;
    private int current;
    private long regionWritten;
    private long written;

    public ResponseSend(List<Object> parts) {
        this.parts = parts.toArray();
        long total = 0;
        for (Object p : this.parts) {
            if (p instanceof ByteBuffer b) {
                total += b.remaining();
            } else if (p instanceof ZeroCopyRegion r) {
                total += r.size();
            } else {
                throw new IllegalArgumentException("response part must be ByteBuffer or ZeroCopyRegion: " + p);
            }
        }
        this.size = total;
    }

    public static ResponseSend of(ByteBuffer buffer) {
        return new ResponseSend(List.of(buffer));
    }

    public long size() {
        return size;
    }

    public long written() {
        return written;
    }

    public boolean completed() {
        return current >= parts.length;
    }

    /**
     * Writes as much as the channel accepts without blocking.
     *
     * @return true when the whole frame has been written
     */
    public boolean writeTo(GatheringByteChannel channel) throws IOException {
        while (current < parts.length) {
            Object part = parts[current];
            if (part instanceof ByteBuffer) {
                // Gather consecutive heap buffers into one writev.
                int end = current;
                while (end < parts.length && parts[end] instanceof ByteBuffer) {
                    end++;
                }
                ByteBuffer[] srcs = new ByteBuffer[end - current];
                for (int i = current; i < end; i++) {
                    srcs[i - current] = (ByteBuffer) parts[i];
                }
                long n = channel.write(srcs);
                written += n;
                while (current < end && !((ByteBuffer) parts[current]).hasRemaining()) {
                    current++;
                }
                if (current < end) {
                    return false; // socket buffer full
                }
            } else {
                ZeroCopyRegion region = (ZeroCopyRegion) part;
                long remaining = region.size() - regionWritten;
                if (remaining > 0) {
                    long n = region.transferTo(channel, regionWritten, remaining);
                    regionWritten += n;
                    written += n;
                    if (regionWritten < region.size()) {
                        return false;
                    }
                }
                regionWritten = 0;
                current++;
            }
        }
        return true;
    }
}
