package dev.tributary.metadata.codec;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.BrokersFenced;
import dev.tributary.metadata.command.CommandResult.Done;
import dev.tributary.metadata.command.CommandResult.HeartbeatAccepted;
import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.CommandResult.PartitionUpdated;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.CommandResult.TopicCreated;
import dev.tributary.metadata.command.MetadataError;

/**
 * The bytes of a command's result, as the quorum answers the submitter: {@code int8 version, int8 type,
 * fields}, like {@link CommandCodec}. Results are not persisted, but a client may talk to a quorum node of
 * another build during a rolling upgrade, so they carry a version too.
 *
 * <p>A {@link Rejected} carries the error by name, so a new error added by a newer build reads as
 * {@link MetadataError#INVALID_REQUEST} with the name kept in the message instead of failing.
 */
public final class ResultCodec {

    public static final int VERSION = 1;
    private static final String WHAT = "metadata command result";

    private ResultCodec() {}

    public static byte[] encode(CommandResult result) {
        WireWriter w = new WireWriter().int8(VERSION);
        if (result instanceof Done) {
            w.int8(1);
        } else if (result instanceof Rejected c) {
            w.int8(2).string(c.error().name()).string(c.message());
        } else if (result instanceof HeartbeatAccepted c) {
            w.int8(3).bool(c.fenced());
        } else if (result instanceof BrokersFenced c) {
            w.int8(4).intList(c.brokerIds());
        } else if (result instanceof TopicCreated c) {
            w.int8(5).uuid(c.topicId()).int32(c.partitions());
        } else if (result instanceof PartitionUpdated c) {
            w.int8(6).string(c.topic()).int32(c.partition());
            ImageCodec.writePartition(w, c.state());
        } else if (result instanceof IdRange c) {
            w.int8(7).int64(c.firstId()).int32(c.count());
        } else {
            throw new IllegalArgumentException(
                    "no type code for result " + result.getClass().getName());
        }
        return w.toByteArray();
    }

    public static CommandResult decode(byte[] bytes) {
        WireReader r = new WireReader(WHAT, bytes);
        int version = r.int8();
        if (version != 1) {
            throw new MetadataFormatException(WHAT + ": format version " + version
                    + " is unknown; this build reads version " + VERSION + " and older");
        }
        int type = r.int8();
        CommandResult result = switch (type) {
            case 1 -> new Done();
            case 2 -> rejected(r.string(), r.string());
            case 3 -> new HeartbeatAccepted(r.bool());
            case 4 -> new BrokersFenced(r.intList());
            case 5 -> new TopicCreated(r.uuid(), r.int32());
            case 6 -> new PartitionUpdated(r.string(), r.int32(), ImageCodec.readPartition(r));
            case 7 -> new IdRange(r.int64(), r.int32());
            default -> throw r.corrupt("result type " + type + " is unknown");
        };
        r.expectEnd();
        return result;
    }

    private static Rejected rejected(String errorName, String message) {
        for (MetadataError e : MetadataError.values()) {
            if (e.name().equals(errorName)) {
                return new Rejected(e, message);
            }
        }
        return new Rejected(MetadataError.INVALID_REQUEST, errorName + ": " + message);
    }
}
