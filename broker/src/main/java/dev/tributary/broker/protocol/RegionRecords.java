package dev.tributary.broker.protocol;

import dev.tributary.broker.network.ZeroCopyRegion;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Puts a {@link ZeroCopyRegion} into a generated response message's {@code records} field. The message
 * size counts its bytes; {@link ResponseEncoder} turns it into a zero-copy part of the response frame
 * instead of copying it. Never serialized through {@link #toSend()}.
 */
final class RegionRecords implements BaseRecords {
    private final ZeroCopyRegion region;

    RegionRecords(ZeroCopyRegion region) {
        this.region = region;
    }

    ZeroCopyRegion region() {
        return region;
    }

    @Override
    public int sizeInBytes() {
        return Math.toIntExact(region.size());
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("region records are written by ResponseEncoder");
    }
}
